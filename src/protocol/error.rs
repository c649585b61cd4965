//! The error a client sees: a MySQL error code, its SQLSTATE and a message.
//!
//! Which code an engine failure becomes is decided in one place, `crate::error`; this module only
//! knows the codes the protocol layer itself emits.

use std::fmt;

/// An ERR packet's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MySqlError {
    pub code: u16,
    pub state: [u8; 5],
    pub message: String,
}

impl MySqlError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self { code: code.number, state: code.sqlstate, message: message.into() }
    }

    pub fn sqlstate(&self) -> &str {
        std::str::from_utf8(&self.state).unwrap_or("HY000")
    }
}

impl fmt::Display for MySqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ERROR {} ({}): {}", self.code, self.sqlstate(), self.message)
    }
}

impl std::error::Error for MySqlError {}

/// A MySQL server error number with its SQLSTATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub number: u16,
    pub sqlstate: [u8; 5],
}

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $num:literal, $state:literal;)*) => {
        $( $(#[$doc])* pub const $name: Code = Code { number: $num, sqlstate: *$state }; )*
    };
}

/// The MySQL error codes Weir emits (names as in MySQL's `mysqld_error.h`).
pub mod codes {
    use super::Code;
    codes! {
        /// Unknown command.
        ER_UNKNOWN_COM_ERROR = 1047, b"08S01";
        ER_HANDSHAKE_ERROR = 1043, b"08S01";
        ER_ACCESS_DENIED_ERROR = 1045, b"28000";
        ER_BAD_DB_ERROR = 1049, b"42000";
        ER_TABLE_EXISTS_ERROR = 1050, b"42S01";
        ER_BAD_TABLE_ERROR = 1051, b"42S02";
        ER_BAD_FIELD_ERROR = 1054, b"42S22";
        ER_PARSE_ERROR = 1064, b"42000";
        ER_EMPTY_QUERY = 1065, b"42000";
        ER_UNKNOWN_ERROR = 1105, b"HY000";
        /// "Incorrect table name": Weir's for a name of its own objects it cannot take.
        ER_WRONG_TABLE_NAME = 1103, b"42000";
        /// A feature turned off (e.g. Weir's metrics without the HTTP listener).
        ER_FEATURE_DISABLED = 1289, b"HY000";
        ER_UNKNOWN_PROCEDURE = 1106, b"42000";
        ER_NO_SUCH_TABLE = 1146, b"42S02";
        /// Unknown table in information_schema.
        ER_UNKNOWN_TABLE = 1109, b"42S02";
        ER_NO_DB_ERROR = 1046, b"3D000";
        ER_WRONG_OBJECT = 1347, b"HY000";
        ER_NET_PACKET_TOO_LARGE = 1153, b"08S01";
        ER_NET_READ_ERROR = 1158, b"08S01";
        ER_NET_PACKETS_OUT_OF_ORDER = 1156, b"08S01";
        /// A command whose body does not have the shape its command byte promises (MySQL 8).
        ER_MALFORMED_PACKET = 1835, b"HY000";
        ER_MAX_PREPARED_STMT_COUNT_REACHED = 1461, b"42000";
        ER_NO_SUCH_THREAD = 1094, b"HY000";
        ER_KILL_DENIED_ERROR = 1095, b"HY000";
        ER_UNKNOWN_SYSTEM_VARIABLE = 1193, b"HY000";
        ER_WRONG_VALUE_FOR_VAR = 1231, b"42000";
        ER_WRONG_TYPE_FOR_VAR = 1232, b"42000";
        ER_NOT_SUPPORTED_YET = 1235, b"42000";
        ER_WRONG_ARGUMENTS = 1210, b"HY000";
        ER_UNKNOWN_STMT_HANDLER = 1243, b"HY000";
        ER_QUERY_INTERRUPTED = 1317, b"70100";
        ER_SP_DOES_NOT_EXIST = 1305, b"42000";
        ER_PS_MANY_PARAM = 1390, b"HY000";
        ER_SECURE_TRANSPORT_REQUIRED = 3159, b"HY000";
        ER_QUERY_TIMEOUT = 3024, b"HY000";
        ER_WRONG_PARAM_COUNT = 1582, b"42000";
        ER_UNKNOWN_TIME_ZONE = 1298, b"HY000";
        ER_DB_CREATE_EXISTS = 1007, b"HY000";
        ER_DB_DROP_EXISTS = 1008, b"HY000";
        ER_SP_ALREADY_EXISTS = 1304, b"42000";
        ER_TOO_MANY_USER_CONNECTIONS = 1203, b"42000";
        ER_CON_COUNT_ERROR = 1040, b"08004";
        ER_SERVER_SHUTDOWN = 1053, b"08S01";
        ER_CONNECTION_KILLED = 1927, b"70100";
        ER_CLIENT_INTERACTION_TIMEOUT = 4031, b"HY000";
        ER_LOCK_WAIT_TIMEOUT = 1205, b"HY000";
        ER_INCORRECT_GLOBAL_LOCAL_VAR = 1238, b"HY000";
        ER_VARIABLE_IS_READONLY = 1621, b"HY000";
        ER_SPECIFIC_ACCESS_DENIED_ERROR = 1227, b"42000";
        ER_DBACCESS_DENIED_ERROR = 1044, b"42000";
        ER_TABLEACCESS_DENIED_ERROR = 1142, b"42000";
        ER_CANNOT_USER = 1396, b"HY000";
        ER_NONEXISTING_GRANT = 1141, b"42000";
        ER_NONEXISTING_TABLE_GRANT = 1147, b"42000";
        ER_CANT_CREATE_USER_WITH_GRANT = 1410, b"42000";
        ER_PASSWORD_NO_MATCH = 1133, b"42000";
        ER_WRONG_USAGE = 1221, b"HY000";
        ER_USER_LIMIT_REACHED = 1226, b"42000";
        ER_UNKNOWN_AUTHID = 3523, b"HY000";
        ER_ROLE_NOT_GRANTED = 3530, b"HY000";
        ER_ROLE_GRANTED_TO_ITSELF = 3907, b"HY000";
        ER_DUP_ENTRY = 1062, b"23000";
        ER_NON_UNIQ_ERROR = 1052, b"23000";
        ER_FUNCTION_NOT_DEFINED = 1128, b"HY000";
        ER_TRUNCATED_WRONG_VALUE = 1292, b"22007";
        ER_DATA_OUT_OF_RANGE = 1690, b"22003";
        ER_DIVISION_BY_ZERO = 1365, b"22012";
        ER_NOT_SUPPORTED_AUTH_MODE = 1251, b"08004";
        ER_GET_ERRNO = 1030, b"HY000";
        ER_INVALID_CHARACTER_STRING = 1300, b"HY000";
        ER_UNKNOWN_CHARACTER_SET = 1115, b"42000";
        ER_UNKNOWN_COLLATION = 1273, b"HY000";
        ER_COLLATION_CHARSET_MISMATCH = 1253, b"42000";
        /// "Result of %s() was larger than max_allowed_packet": Weir uses it for a statement
        /// larger than it sends to Flink (1153 would tell the client the connection is gone).
        ER_WARN_ALLOWED_PACKET_OVERFLOWED = 1301, b"HY000";
        WARN_DATA_TRUNCATED = 1265, b"01000";
        ER_UDF_EXISTS = 1125, b"HY000";
        /// "Cannot drop table referenced by a foreign key constraint": Weir uses it for any
        /// object that recorded objects depend on.
        ER_FK_CANNOT_DROP_PARENT = 3730, b"HY000";
        ER_FILE_NOT_FOUND = 1017, b"HY000";
        /// "You are not using binary logging": a datasync source whose binlog CDC cannot read.
        ER_NO_BINARY_LOGGING = 1381, b"HY000";
        /// "This table type requires a primary key".
        ER_REQUIRES_PRIMARY_KEY = 1173, b"42000";
        /// "Unable to connect to foreign data source": a datasync's source or sink server refused
        /// or did not answer (FEDERATED tables' code for the same).
        ER_CONNECT_TO_FOREIGN_DATA_SOURCE = 1429, b"HY000";
        /// "Converting column '%s' from %s to %s": a note where a generated Flink type changes a
        /// column's meaning.
        ER_AUTO_CONVERT = 1246, b"HY000";
        /// "`%s`.`%s` contains view recursion": Weir uses it for a cycle among a schedule's jobs.
        ER_VIEW_RECURSIVE = 1462, b"HY000";
    }
}
