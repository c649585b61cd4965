//! The connection phase: the server greeting (Protocol::HandshakeV10), the client's
//! HandshakeResponse41 or SSLRequest, auth switch and auth-more-data packets, and COM_CHANGE_USER.

use std::collections::BTreeMap;

use mysql_common::constants::{CapabilityFlags, StatusFlags};
use rand::Rng;

use super::wire::{Malformed, Reader, WriteExt};

/// 20 bytes of per-connection random "auth plugin data".
pub type Salt = [u8; 20];

pub const NATIVE_PASSWORD: &str = "mysql_native_password";
pub const CACHING_SHA2_PASSWORD: &str = "caching_sha2_password";

/// Collation id of utf8mb4_0900_ai_ci, MySQL 8.0's default.
pub const UTF8MB4_0900_AI_CI: u8 = 255;

/// A fresh salt: printable ASCII, never NUL (some clients treat the salt as a C string).
pub fn new_salt() -> Salt {
    let mut rng = rand::rng();
    let mut salt = [0u8; 20];
    for b in &mut salt {
        *b = rng.random_range(0x21..0x7F);
    }
    salt
}

/// The capabilities Weir offers; `tls` adds CLIENT_SSL.
pub fn server_capabilities(tls: bool) -> CapabilityFlags {
    let mut caps = CapabilityFlags::CLIENT_LONG_PASSWORD
        | CapabilityFlags::CLIENT_FOUND_ROWS
        | CapabilityFlags::CLIENT_LONG_FLAG
        | CapabilityFlags::CLIENT_CONNECT_WITH_DB
        | CapabilityFlags::CLIENT_IGNORE_SPACE
        | CapabilityFlags::CLIENT_PROTOCOL_41
        | CapabilityFlags::CLIENT_INTERACTIVE
        | CapabilityFlags::CLIENT_TRANSACTIONS
        | CapabilityFlags::CLIENT_SECURE_CONNECTION
        | CapabilityFlags::CLIENT_MULTI_STATEMENTS
        | CapabilityFlags::CLIENT_MULTI_RESULTS
        | CapabilityFlags::CLIENT_PS_MULTI_RESULTS
        | CapabilityFlags::CLIENT_PLUGIN_AUTH
        | CapabilityFlags::CLIENT_CONNECT_ATTRS
        | CapabilityFlags::CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
        | CapabilityFlags::CLIENT_DEPRECATE_EOF;
    if tls {
        caps |= CapabilityFlags::CLIENT_SSL;
    }
    caps
}

/// Builds the initial handshake packet.
pub fn greeting(
    server_version: &str,
    connection_id: u32,
    salt: &Salt,
    caps: CapabilityFlags,
    auth_plugin: &str,
) -> Vec<u8> {
    let caps = caps.bits();
    let mut p = Vec::with_capacity(128);
    p.put_u8(10);
    p.put_nul_str(server_version.as_bytes());
    p.put_u32(connection_id);
    p.extend_from_slice(&salt[..8]);
    p.put_u8(0);
    p.put_u16(caps as u16);
    p.put_u8(UTF8MB4_0900_AI_CI);
    p.put_u16((StatusFlags::SERVER_STATUS_AUTOCOMMIT | StatusFlags::SERVER_STATUS_NO_BACKSLASH_ESCAPES).bits());
    p.put_u16((caps >> 16) as u16);
    p.put_u8(21);
    p.extend_from_slice(&[0u8; 10]);
    p.extend_from_slice(&salt[8..]);
    p.put_u8(0);
    p.put_nul_str(auth_plugin.as_bytes());
    p
}

/// What the client answered to the greeting.
#[derive(Debug)]
pub enum ClientHello {
    /// The client wants TLS before it says more.
    SslRequest { caps: CapabilityFlags },
    Response(HandshakeResponse),
}

/// A parsed HandshakeResponse41.
#[derive(Debug, Clone)]
pub struct HandshakeResponse {
    pub caps: CapabilityFlags,
    pub max_packet: u32,
    pub charset: u8,
    pub user: String,
    pub auth_response: Vec<u8>,
    pub database: Option<String>,
    pub auth_plugin: Option<String>,
    pub attributes: BTreeMap<String, String>,
}

/// Parses the client's answer to the greeting.
pub fn parse_client_hello(payload: &[u8]) -> Result<ClientHello, Malformed> {
    let mut r = Reader::new(payload);
    if payload.len() < 4 {
        return Err(Malformed("handshake response too short"));
    }
    let caps = CapabilityFlags::from_bits_truncate(r.u32("capability flags")?);
    if !caps.contains(CapabilityFlags::CLIENT_PROTOCOL_41) {
        return Err(Malformed("client does not speak protocol 4.1"));
    }
    let max_packet = r.u32("max packet size")?;
    let charset = r.u8("character set")?;
    r.take(23, "filler")?;
    if r.is_empty() && caps.contains(CapabilityFlags::CLIENT_SSL) {
        return Ok(ClientHello::SslRequest { caps });
    }
    let user = lossy(r.nul_terminated());
    let auth_response = if caps.contains(CapabilityFlags::CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) {
        r.lenenc_bytes("auth response")?.to_vec()
    } else if caps.contains(CapabilityFlags::CLIENT_SECURE_CONNECTION) {
        let n = r.u8("auth response length")?;
        r.take(usize::from(n), "auth response")?.to_vec()
    } else {
        r.nul_terminated().to_vec()
    };
    let database = if caps.contains(CapabilityFlags::CLIENT_CONNECT_WITH_DB) && !r.is_empty() {
        Some(lossy(r.nul_terminated())).filter(|d| !d.is_empty())
    } else {
        None
    };
    let (auth_plugin, attributes) = plugin_and_attributes(&mut r, caps)?;
    Ok(ClientHello::Response(HandshakeResponse {
        caps,
        max_packet,
        charset,
        user,
        auth_response,
        database,
        auth_plugin,
        attributes,
    }))
}

/// The optional tail of a handshake response or COM_CHANGE_USER: the auth plugin's name and the
/// connection attributes, each present when its capability is on.
fn plugin_and_attributes(r: &mut Reader<'_>, caps: CapabilityFlags) -> Result<(Option<String>, BTreeMap<String, String>), Malformed> {
    let plugin = if caps.contains(CapabilityFlags::CLIENT_PLUGIN_AUTH) && !r.is_empty() {
        Some(lossy(r.nul_terminated())).filter(|p| !p.is_empty())
    } else {
        None
    };
    let attributes = if caps.contains(CapabilityFlags::CLIENT_CONNECT_ATTRS) && !r.is_empty() {
        parse_attributes(r)?
    } else {
        BTreeMap::new()
    };
    Ok((plugin, attributes))
}

fn parse_attributes(r: &mut Reader<'_>) -> Result<BTreeMap<String, String>, Malformed> {
    let block = r.lenenc_bytes("connection attributes")?;
    let mut a = Reader::new(block);
    let mut attrs = BTreeMap::new();
    while !a.is_empty() {
        let k = lossy(a.lenenc_bytes("attribute name")?);
        let v = lossy(a.lenenc_bytes("attribute value")?);
        attrs.insert(k, v);
    }
    Ok(attrs)
}

/// A parsed COM_CHANGE_USER (without the command byte).
pub fn parse_change_user(payload: &[u8], client_caps: CapabilityFlags) -> Result<HandshakeResponse, Malformed> {
    let mut r = Reader::new(payload);
    let user = lossy(r.nul_terminated());
    let auth_response = if client_caps.contains(CapabilityFlags::CLIENT_SECURE_CONNECTION) {
        let n = r.u8("auth response length")?;
        r.take(usize::from(n), "auth response")?.to_vec()
    } else {
        r.nul_terminated().to_vec()
    };
    let database = Some(lossy(r.nul_terminated())).filter(|d| !d.is_empty());
    let charset = if r.remaining() >= 2 { r.u16("character set")? as u8 } else { UTF8MB4_0900_AI_CI };
    let (auth_plugin, attributes) = plugin_and_attributes(&mut r, client_caps)?;
    Ok(HandshakeResponse {
        caps: client_caps,
        max_packet: 0,
        charset,
        user,
        auth_response,
        database,
        auth_plugin,
        attributes,
    })
}

/// AuthSwitchRequest: asks the client to authenticate with `plugin` over `salt`.
pub fn auth_switch(plugin: &str, salt: &Salt) -> Vec<u8> {
    let mut p = Vec::with_capacity(48);
    p.put_u8(0xFE);
    p.put_nul_str(plugin.as_bytes());
    p.extend_from_slice(salt);
    p.put_u8(0);
    p
}

/// caching_sha2_password's AuthMoreData "fast auth succeeded".
pub const FAST_AUTH_OK: [u8; 2] = [0x01, 0x03];
/// caching_sha2_password's AuthMoreData "send the full password".
pub const PERFORM_FULL_AUTH: [u8; 2] = [0x01, 0x04];

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(caps: CapabilityFlags, user: &str, auth: &[u8], db: Option<&str>, plugin: &str) -> Vec<u8> {
        let mut p = Vec::new();
        p.put_u32(caps.bits());
        p.put_u32(1 << 24);
        p.put_u8(45);
        p.extend_from_slice(&[0; 23]);
        p.put_nul_str(user.as_bytes());
        p.put_lenenc_bytes(auth);
        if let Some(db) = db {
            p.put_nul_str(db.as_bytes());
        }
        p.put_nul_str(plugin.as_bytes());
        let mut attrs = Vec::new();
        attrs.put_lenenc_bytes(b"weir.flink");
        attrs.put_lenenc_bytes(b"2.2");
        p.put_lenenc_bytes(&attrs);
        p
    }

    #[test]
    fn parses_a_full_handshake_response() {
        let caps = server_capabilities(false);
        let payload = response(caps, "root", &[1; 20], Some("default_database"), NATIVE_PASSWORD);
        let ClientHello::Response(r) = parse_client_hello(&payload).unwrap() else { panic!("not a response") };
        assert_eq!(r.user, "root");
        assert_eq!(r.auth_response, vec![1; 20]);
        assert_eq!(r.database.as_deref(), Some("default_database"));
        assert_eq!(r.auth_plugin.as_deref(), Some(NATIVE_PASSWORD));
        assert_eq!(r.attributes.get("weir.flink").map(String::as_str), Some("2.2"));
    }

    #[test]
    fn recognises_an_ssl_request() {
        let mut p = Vec::new();
        p.put_u32((server_capabilities(true)).bits());
        p.put_u32(0);
        p.put_u8(45);
        p.extend_from_slice(&[0; 23]);
        assert!(matches!(parse_client_hello(&p).unwrap(), ClientHello::SslRequest { .. }));
    }

    #[test]
    fn truncated_responses_are_malformed_not_panics() {
        let caps = server_capabilities(false);
        let full = response(caps, "root", &[7; 20], Some("db"), NATIVE_PASSWORD);
        for cut in 0..full.len() {
            let _ = parse_client_hello(&full[..cut]);
        }
    }

    #[test]
    fn greeting_carries_the_salt_in_two_parts() {
        let salt = new_salt();
        assert!(salt.iter().all(|&b| b != 0));
        let g = greeting("8.0.40-weir", 7, &salt, server_capabilities(false), CACHING_SHA2_PASSWORD);
        let mut r = Reader::new(&g);
        assert_eq!(r.u8("v").unwrap(), 10);
        assert_eq!(r.nul_terminated(), b"8.0.40-weir");
        assert_eq!(r.u32("id").unwrap(), 7);
        assert_eq!(r.take(8, "s1").unwrap(), &salt[..8]);
    }
}
