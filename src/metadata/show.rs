//! SHOW statements answered from information_schema: each is rewritten into a query over
//! information_schema with MySQL's exact column names as aliases ([`to_query`]).

use crate::statement::show::{MetaStatement, ShowFilter};

/// A SQL string literal.
pub fn quote_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A SQL identifier in backquotes.
pub fn quote_ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// `SELECT <outputs> FROM (<inner>) AS _show [WHERE …] ORDER BY <order>`: the client's filter
/// sees the result's own column names, as in MySQL.
fn wrap(outputs: &[(&str, &str)], from: &str, filter: Option<&ShowFilter>, order: &str) -> String {
    let inner: Vec<String> = outputs.iter().map(|(e, n)| format!("{e} AS {}", quote_ident(n))).collect();
    let outer: Vec<String> = outputs.iter().map(|(_, n)| quote_ident(n)).collect();
    let filter = match filter {
        None => String::new(),
        Some(ShowFilter::Like(p)) => format!(" WHERE {} LIKE {}", quote_ident(outputs[0].1), quote_string(p)),
        Some(ShowFilter::Where(e)) => format!(" WHERE {e}"),
    };
    format!("SELECT {} FROM (SELECT {}, {order} AS _order FROM {from}) AS _show{filter} ORDER BY _order", outer.join(", "), inner.join(", "))
}

/// The information_schema query that answers a SHOW statement (for those that are queries),
/// given the database it is about.
pub fn to_query(plan: &MetaStatement, database: &str) -> Option<String> {
    let db = quote_string(database);
    Some(match plan {
        MetaStatement::ShowDatabases { filter } => wrap(&[("SCHEMA_NAME", "Database")], "information_schema.SCHEMATA", filter.as_ref(), "SCHEMA_NAME"),
        MetaStatement::ShowTables { full, filter, .. } => {
            let name = format!("Tables_in_{database}");
            let mut cols = vec![("TABLE_NAME", name.as_str())];
            if *full {
                cols.push(("TABLE_TYPE", "Table_type"));
            }
            wrap(&cols, &format!("information_schema.TABLES WHERE TABLE_SCHEMA = {db}"), filter.as_ref(), "TABLE_NAME")
        }
        MetaStatement::ShowTableStatus { filter, .. } => wrap(
            &[
                ("TABLE_NAME", "Name"),
                ("ENGINE", "Engine"),
                ("VERSION", "Version"),
                ("ROW_FORMAT", "Row_format"),
                ("TABLE_ROWS", "Rows"),
                ("AVG_ROW_LENGTH", "Avg_row_length"),
                ("DATA_LENGTH", "Data_length"),
                ("MAX_DATA_LENGTH", "Max_data_length"),
                ("INDEX_LENGTH", "Index_length"),
                ("DATA_FREE", "Data_free"),
                ("AUTO_INCREMENT", "Auto_increment"),
                ("CREATE_TIME", "Create_time"),
                ("UPDATE_TIME", "Update_time"),
                ("CHECK_TIME", "Check_time"),
                ("TABLE_COLLATION", "Collation"),
                ("CHECKSUM", "Checksum"),
                ("CREATE_OPTIONS", "Create_options"),
                ("TABLE_COMMENT", "Comment"),
            ],
            &format!("information_schema.TABLES WHERE TABLE_SCHEMA = {db}"),
            filter.as_ref(),
            "TABLE_NAME",
        ),
        MetaStatement::ShowColumns { full, table, filter } => {
            let mut cols = vec![("COLUMN_NAME", "Field"), ("COLUMN_TYPE", "Type")];
            if *full {
                cols.push(("COLLATION_NAME", "Collation"));
            }
            cols.extend([("IS_NULLABLE", "Null"), ("COLUMN_KEY", "Key"), ("COLUMN_DEFAULT", "Default"), ("EXTRA", "Extra")]);
            if *full {
                cols.extend([("PRIVILEGES", "Privileges"), ("COLUMN_COMMENT", "Comment")]);
            }
            let from = format!("information_schema.COLUMNS WHERE TABLE_SCHEMA = {db} AND TABLE_NAME = {}", quote_string(&table.table));
            wrap(&cols, &from, filter.as_ref(), "ORDINAL_POSITION")
        }
        MetaStatement::Describe { table, column } => {
            let cols = [("COLUMN_NAME", "Field"), ("COLUMN_TYPE", "Type"), ("IS_NULLABLE", "Null"), ("COLUMN_KEY", "Key"), ("COLUMN_DEFAULT", "Default"), ("EXTRA", "Extra")];
            let from = format!("information_schema.COLUMNS WHERE TABLE_SCHEMA = {db} AND TABLE_NAME = {}", quote_string(&table.table));
            let filter = column.clone().map(ShowFilter::Like);
            wrap(&cols, &from, filter.as_ref(), "ORDINAL_POSITION")
        }
        MetaStatement::ShowIndex { table, filter } => {
            let cols = [
                ("TABLE_NAME", "Table"),
                ("NON_UNIQUE", "Non_unique"),
                ("INDEX_NAME", "Key_name"),
                ("SEQ_IN_INDEX", "Seq_in_index"),
                ("COLUMN_NAME", "Column_name"),
                ("COLLATION", "Collation"),
                ("CARDINALITY", "Cardinality"),
                ("SUB_PART", "Sub_part"),
                ("PACKED", "Packed"),
                ("NULLABLE", "Null"),
                ("INDEX_TYPE", "Index_type"),
                ("COMMENT", "Comment"),
                ("INDEX_COMMENT", "Index_comment"),
                ("IS_VISIBLE", "Visible"),
                ("EXPRESSION", "Expression"),
            ];
            let from = format!("information_schema.STATISTICS WHERE TABLE_SCHEMA = {db} AND TABLE_NAME = {}", quote_string(&table.table));
            wrap(&cols, &from, filter.as_ref(), "SEQ_IN_INDEX")
        }
        MetaStatement::ShowTriggers { filter, .. } => wrap(
            &[
                ("TRIGGER_NAME", "Trigger"),
                ("EVENT_MANIPULATION", "Event"),
                ("EVENT_OBJECT_TABLE", "Table"),
                ("ACTION_STATEMENT", "Statement"),
                ("ACTION_TIMING", "Timing"),
                ("CREATED", "Created"),
                ("SQL_MODE", "sql_mode"),
                ("DEFINER", "Definer"),
                ("CHARACTER_SET_CLIENT", "character_set_client"),
                ("COLLATION_CONNECTION", "collation_connection"),
                ("DATABASE_COLLATION", "Database Collation"),
            ],
            &format!("information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = {db}"),
            filter.as_ref(),
            "TRIGGER_NAME",
        ),
        MetaStatement::ShowEngines => wrap(
            &[("ENGINE", "Engine"), ("SUPPORT", "Support"), ("COMMENT", "Comment"), ("TRANSACTIONS", "Transactions"), ("XA", "XA"), ("SAVEPOINTS", "Savepoints")],
            "information_schema.ENGINES",
            None,
            "ENGINE",
        ),
        MetaStatement::ShowCharset { filter } => wrap(
            &[("CHARACTER_SET_NAME", "Charset"), ("DESCRIPTION", "Description"), ("DEFAULT_COLLATE_NAME", "Default collation"), ("MAXLEN", "Maxlen")],
            "information_schema.CHARACTER_SETS",
            filter.as_ref(),
            "CHARACTER_SET_NAME",
        ),
        MetaStatement::ShowCollation { filter } => wrap(
            &[
                ("COLLATION_NAME", "Collation"),
                ("CHARACTER_SET_NAME", "Charset"),
                ("ID", "Id"),
                ("IS_DEFAULT", "Default"),
                ("IS_COMPILED", "Compiled"),
                ("SORTLEN", "Sortlen"),
                ("PAD_ATTRIBUTE", "Pad_attribute"),
            ],
            "information_schema.COLLATIONS",
            filter.as_ref(),
            "COLLATION_NAME",
        ),
        // Without FULL, MySQL shows the first 100 characters of each statement.
        MetaStatement::ShowProcesslist { full } => wrap(
            &[
                ("ID", "Id"),
                ("USER", "User"),
                ("HOST", "Host"),
                ("DB", "db"),
                ("COMMAND", "Command"),
                ("TIME", "Time"),
                ("STATE", "State"),
                (if *full { "INFO" } else { "substr(INFO, 1, 100)" }, "Info"),
            ],
            "information_schema.PROCESSLIST",
            None,
            "ID",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_tables_asks_information_schema_with_mysqls_column_names() {
        let q = to_query(&MetaStatement::ShowTables { full: true, database: None, filter: None }, "shop").expect("a query");
        assert!(q.contains("TABLE_NAME AS `Tables_in_shop`, TABLE_TYPE AS `Table_type`"), "{q}");
        assert!(q.contains("TABLE_SCHEMA = 'shop'"), "{q}");
    }
}
