//! MySQL's account statements, and Weir's tenants:
//!
//! ```text
//! CREATE USER [IF NOT EXISTS] account [IDENTIFIED BY 'pw'] [, …] [REQUIRE {SSL | NONE}] [TENANT name]
//! ALTER USER [IF EXISTS] account [IDENTIFIED BY 'pw'] [REQUIRE {SSL | NONE}] [TENANT {name | NONE}]
//! DROP USER [IF EXISTS] account [, …]
//! CREATE ROLE [IF NOT EXISTS] role [, …]            DROP ROLE [IF EXISTS] role [, …]
//! SET PASSWORD [FOR account] = 'pw'
//! GRANT priv [, …] ON target TO account [, …] [WITH GRANT OPTION]
//! GRANT role [, …] TO account [, …] [WITH ADMIN OPTION]
//! REVOKE priv [, …] ON target FROM account [, …]    REVOKE role [, …] FROM account [, …]
//! SET ROLE {DEFAULT | NONE | ALL | role [, …]}
//! SHOW GRANTS [FOR account]
//! CREATE TENANT [IF NOT EXISTS] name [WITH ('catalogs' = '…', 'clusters' = '…', 'max_running_jobs' = 'n', 'max_slots' = 'n')]
//! DROP TENANT [IF EXISTS] name                       SHOW TENANTS
//! account := name ['@' host] | CURRENT_USER [()]      (name and host: words, `quoted` or 'strings')
//! target  := *.* | * | db.* | db.table | table | catalog.db.* | catalog.db.table | CLUSTER name
//! ```

use std::collections::BTreeMap;

use super::{Extended, Parser};
use crate::statement::SyntaxError;
use crate::statement::privilege::Privilege;
use crate::statement::words::Token;

/// `'user'@'host'` as written; the host is `%` when none is given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountName {
    pub user: String,
    pub host: String,
}

impl AccountName {
    pub fn new(user: &str, host: &str) -> Self {
        Self { user: user.to_string(), host: host.to_string() }
    }
}

impl std::fmt::Display for AccountName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}'@'{}'", self.user.replace('\'', "''"), self.host.replace('\'', "''"))
    }
}

/// An account as a statement names it: `CURRENT_USER` or a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grantee {
    Current,
    Named(AccountName),
}

/// What `GRANT … ON` names, before the session's catalog and database resolve it: each dotted
/// part, `None` for `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantTarget {
    Objects(Vec<Option<String>>),
    Cluster(String),
}

/// The privileges of a GRANT or REVOKE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Privileges {
    /// `ALL [PRIVILEGES]`.
    All,
    List(Vec<Privilege>),
}

/// `SET ROLE`'s choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleChoice {
    /// Every granted role (Weir activates all granted roles at login).
    Default,
    None,
    All,
    Some(Vec<AccountName>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessStatement {
    CreateUser { if_not_exists: bool, users: Vec<(AccountName, Option<String>)>, require_ssl: bool, tenant: Option<String> },
    AlterUser { if_exists: bool, user: Grantee, password: Option<String>, require_ssl: Option<bool>, tenant: Option<Option<String>> },
    DropUser { if_exists: bool, users: Vec<AccountName> },
    CreateRole { if_not_exists: bool, roles: Vec<AccountName> },
    DropRole { if_exists: bool, roles: Vec<AccountName> },
    SetPassword { user: Grantee, password: String },
    Grant { privileges: Privileges, target: GrantTarget, to: Vec<Grantee>, grant_option: bool },
    Revoke { privileges: Privileges, grant_option: bool, target: GrantTarget, from: Vec<Grantee> },
    GrantRoles { roles: Vec<AccountName>, to: Vec<Grantee>, admin_option: bool },
    RevokeRoles { roles: Vec<AccountName>, from: Vec<Grantee> },
    SetRole(RoleChoice),
    ShowGrants { user: Option<Grantee> },
    CreateTenant { if_not_exists: bool, name: String, options: BTreeMap<String, String> },
    DropTenant { if_exists: bool, name: String },
    ShowTenants,
}

impl AccessStatement {
    /// The passwords the statement holds (the audit and PROCESSLIST mask them).
    pub fn has_secret(&self) -> bool {
        matches!(self, AccessStatement::CreateUser { .. } | AccessStatement::AlterUser { password: Some(_), .. } | AccessStatement::SetPassword { .. })
    }
}

fn ok(s: AccessStatement) -> Result<Option<Extended>, SyntaxError> {
    Ok(Some(Extended::Access(s)))
}

/// A user or host part: a word, a `quoted` identifier or a string.
fn name_part(p: &mut Parser<'_>, what: &str) -> Result<String, SyntaxError> {
    if p.peek_string() {
        return p.string(what);
    }
    p.ident(what)
}

/// `name ['@' host]`.
fn account(p: &mut Parser<'_>) -> Result<AccountName, SyntaxError> {
    let user = name_part(p, "an account name ('user'@'host')")?;
    let host = if p.peek().is_some_and(|t| t.is_punct('@')) {
        p.pos += 1;
        name_part(p, "the account's host after @")?
    } else {
        "%".to_string()
    };
    Ok(AccountName { user, host })
}

fn grantee(p: &mut Parser<'_>) -> Result<Grantee, SyntaxError> {
    if p.keywords(&["CURRENT_USER"]) {
        if p.peek().is_some_and(|t| t.token == Token::LParen) {
            p.punct('(', "(")?;
            p.punct(')', ")")?;
        }
        return Ok(Grantee::Current);
    }
    account(p).map(Grantee::Named)
}

fn list<T>(p: &mut Parser<'_>, mut one: impl FnMut(&mut Parser<'_>) -> Result<T, SyntaxError>) -> Result<Vec<T>, SyntaxError> {
    let mut out = vec![one(p)?];
    while p.peek().is_some_and(|t| t.is_punct(',')) {
        p.pos += 1;
        out.push(one(p)?);
    }
    Ok(out)
}

fn if_not_exists(p: &mut Parser<'_>) -> bool {
    p.keywords(&["IF", "NOT", "EXISTS"])
}

fn if_exists(p: &mut Parser<'_>) -> bool {
    p.keywords(&["IF", "EXISTS"])
}

fn identified(p: &mut Parser<'_>) -> Result<Option<String>, SyntaxError> {
    if p.keywords(&["IDENTIFIED"]) {
        // `IDENTIFIED WITH plugin BY 'pw'`: both plugins' hashes are always kept.
        if p.keywords(&["WITH"]) {
            name_part(p, "an authentication plugin")?;
        }
        p.expect(&["BY"])?;
        return p.string("the password").map(Some);
    }
    Ok(None)
}

/// `REQUIRE SSL | NONE`.
fn require(p: &mut Parser<'_>) -> Result<Option<bool>, SyntaxError> {
    if !p.keywords(&["REQUIRE"]) {
        return Ok(None);
    }
    if p.keywords(&["SSL"]) || p.keywords(&["X509"]) {
        return Ok(Some(true));
    }
    p.expect(&["NONE"])?;
    Ok(Some(false))
}

/// After `CREATE USER`.
pub fn create_user(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_not_exists = if_not_exists(p);
    let users = list(p, |p| Ok((account(p)?, identified(p)?)))?;
    let mut require_ssl = false;
    let mut tenant = None;
    loop {
        if let Some(r) = require(p)? {
            require_ssl = r;
        } else if p.keywords(&["TENANT"]) {
            tenant = Some(p.ident("a tenant name")?);
        } else {
            break;
        }
    }
    p.end("IDENTIFIED BY, REQUIRE, TENANT or the end of CREATE USER")?;
    ok(AccessStatement::CreateUser { if_not_exists, users, require_ssl, tenant })
}

/// After `ALTER USER`.
pub fn alter_user(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_exists = if_exists(p);
    let user = grantee(p)?;
    let password = identified(p)?;
    let mut require_ssl = None;
    let mut tenant = None;
    loop {
        if let Some(r) = require(p)? {
            require_ssl = Some(r);
        } else if p.keywords(&["TENANT"]) {
            tenant = Some(if p.keywords(&["NONE"]) { None } else { Some(p.ident("a tenant name or NONE")?) });
        } else {
            break;
        }
    }
    p.end("IDENTIFIED BY, REQUIRE, TENANT or the end of ALTER USER")?;
    ok(AccessStatement::AlterUser { if_exists, user, password, require_ssl, tenant })
}

/// After `DROP USER`.
pub fn drop_user(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_exists = if_exists(p);
    let users = list(p, account)?;
    p.end("the end of DROP USER")?;
    ok(AccessStatement::DropUser { if_exists, users })
}

/// After `CREATE ROLE`.
pub fn create_role(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_not_exists = if_not_exists(p);
    let roles = list(p, account)?;
    p.end("the end of CREATE ROLE")?;
    ok(AccessStatement::CreateRole { if_not_exists, roles })
}

/// After `DROP ROLE`.
pub fn drop_role(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_exists = if_exists(p);
    let roles = list(p, account)?;
    p.end("the end of DROP ROLE")?;
    ok(AccessStatement::DropRole { if_exists, roles })
}

/// After `SET PASSWORD`.
pub fn set_password(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let user = if p.keywords(&["FOR"]) { grantee(p)? } else { Grantee::Current };
    p.punct('=', "= 'new password'")?;
    let password = p.string("the new password")?;
    p.end("the end of SET PASSWORD")?;
    ok(AccessStatement::SetPassword { user, password })
}

/// One privilege's words (`SELECT`, `CREATE VIEW`, `OPERATE JOB`, …), the longest name first.
fn privilege(p: &mut Parser<'_>) -> Result<Privilege, SyntaxError> {
    for len in [2usize, 1] {
        let words: Option<Vec<String>> = (0..len).map(|i| p.tokens.get(p.pos + i).and_then(|t| t.keyword())).collect();
        if let Some(words) = words
            && let Some(found) = Privilege::parse(&words.join(" "))
        {
            p.pos += len;
            return Ok(found);
        }
    }
    Err(p.error("expected a privilege (SELECT, INSERT, CREATE, DROP, ALTER, CREATE VIEW, SHOW VIEW, PROCESS, SUPER, CREATE USER, CREATE JOB, OPERATE JOB, CREATE DATASYNC, CREATE SCHEDULE, CREATE CATALOG, ALERT ADMIN, AUDIT ADMIN, USAGE or ALL)"))
}

/// `*.*`, `db.*`, `catalog.db.table`, … or `CLUSTER name`.
fn target(p: &mut Parser<'_>) -> Result<GrantTarget, SyntaxError> {
    if p.keywords(&["CLUSTER"]) {
        return Ok(GrantTarget::Cluster(name_part(p, "a cluster name")?));
    }
    // `TABLE` before a table name is MySQL's optional object type.
    p.keywords(&["TABLE"]);
    let mut parts = Vec::new();
    loop {
        if p.peek().is_some_and(|t| t.is_punct('*')) {
            p.pos += 1;
            parts.push(None);
        } else {
            parts.push(Some(p.ident("a database or table name, or *")?));
        }
        if p.peek().is_some_and(|t| t.token == Token::Dot) {
            p.pos += 1;
            continue;
        }
        break;
    }
    let shape_ok = match parts.as_slice() {
        [_] => true,
        [_, _] => !matches!(parts.as_slice(), [None, Some(_)]),
        [Some(_), Some(_), _] => true,
        _ => false,
    };
    if !shape_ok {
        return Err(p.error_before("expected *.*, db.*, db.table, catalog.db.* or catalog.db.table"));
    }
    Ok(GrantTarget::Objects(parts))
}

/// After `GRANT`.
pub fn grant(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    // `GRANT role, … TO …` when the list is followed by TO.
    let start = p.pos;
    if let Ok(roles) = list(p, account)
        && p.keywords(&["TO"])
    {
        let to = list(p, grantee)?;
        let admin_option = p.keywords(&["WITH", "ADMIN", "OPTION"]);
        p.end("WITH ADMIN OPTION or the end of GRANT")?;
        return ok(AccessStatement::GrantRoles { roles, to, admin_option });
    }
    p.pos = start;
    let privileges = privileges(p)?;
    p.expect(&["ON"])?;
    let target = target(p)?;
    p.expect(&["TO"])?;
    let to = list(p, grantee)?;
    let grant_option = p.keywords(&["WITH", "GRANT", "OPTION"]);
    p.end("WITH GRANT OPTION or the end of GRANT")?;
    ok(AccessStatement::Grant { privileges, target, to, grant_option })
}

fn privileges(p: &mut Parser<'_>) -> Result<Privileges, SyntaxError> {
    if p.keywords(&["ALL"]) {
        p.keywords(&["PRIVILEGES"]);
        return Ok(Privileges::All);
    }
    // `priv, …` up to `, GRANT OPTION` (REVOKE's) or what follows the list.
    let mut out = vec![privilege(p)?];
    while p.peek().is_some_and(|t| t.is_punct(',')) && !p.tokens.get(p.pos + 1).is_some_and(|t| t.is_keyword("GRANT")) {
        p.pos += 1;
        out.push(privilege(p)?);
    }
    Ok(Privileges::List(out))
}

/// After `REVOKE`.
pub fn revoke(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let start = p.pos;
    if let Ok(roles) = list(p, account)
        && p.keywords(&["FROM"])
    {
        let from = list(p, grantee)?;
        p.end("the end of REVOKE")?;
        return ok(AccessStatement::RevokeRoles { roles, from });
    }
    p.pos = start;
    // `REVOKE GRANT OPTION ON …` or `REVOKE priv, …, GRANT OPTION ON …`.
    let mut grant_option = false;
    let privileges = if p.keywords(&["GRANT", "OPTION"]) {
        grant_option = true;
        Privileges::List(Vec::new())
    } else {
        let privileges = privileges(p)?;
        if p.peek().is_some_and(|t| t.is_punct(',')) && p.tokens.get(p.pos + 1).is_some_and(|t| t.is_keyword("GRANT")) {
            p.pos += 1;
            p.expect(&["GRANT", "OPTION"])?;
            grant_option = true;
        }
        privileges
    };
    p.expect(&["ON"])?;
    let target = target(p)?;
    p.expect(&["FROM"])?;
    let from = list(p, grantee)?;
    p.end("the end of REVOKE")?;
    ok(AccessStatement::Revoke { privileges, grant_option, target, from })
}

/// After `SET ROLE`.
pub fn set_role(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let choice = if p.keywords(&["DEFAULT"]) {
        RoleChoice::Default
    } else if p.keywords(&["NONE"]) {
        RoleChoice::None
    } else if p.keywords(&["ALL"]) {
        RoleChoice::All
    } else {
        RoleChoice::Some(list(p, account)?)
    };
    p.end("the end of SET ROLE")?;
    ok(AccessStatement::SetRole(choice))
}

/// After `SHOW GRANTS`.
pub fn show_grants(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let user = if p.keywords(&["FOR"]) { Some(grantee(p)?) } else { None };
    // `USING role, …` is accepted and changes nothing: granted roles are active.
    if p.keywords(&["USING"]) {
        list(p, account)?;
    }
    p.end("FOR account or the end of SHOW GRANTS")?;
    ok(AccessStatement::ShowGrants { user })
}

/// After `CREATE TENANT`.
pub fn create_tenant(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_not_exists = if_not_exists(p);
    let name = p.ident("a tenant name")?;
    let mut options = BTreeMap::new();
    if p.keywords(&["WITH"]) {
        p.punct('(', "( after WITH")?;
        loop {
            let key = p.string("an option name")?;
            p.punct('=', "=")?;
            let value = p.string("the option's value")?;
            options.insert(key.to_ascii_lowercase(), value);
            if p.peek().is_some_and(|t| t.is_punct(',')) {
                p.pos += 1;
                continue;
            }
            break;
        }
        p.punct(')', ")")?;
    }
    p.end("WITH (...) or the end of CREATE TENANT")?;
    ok(AccessStatement::CreateTenant { if_not_exists, name, options })
}

/// After `DROP TENANT`.
pub fn drop_tenant(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_exists = if_exists(p);
    let name = p.ident("a tenant name")?;
    p.end("the end of DROP TENANT")?;
    ok(AccessStatement::DropTenant { if_exists, name })
}

/// After `SHOW TENANTS`.
pub fn show_tenants(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    p.end("the end of SHOW TENANTS")?;
    ok(AccessStatement::ShowTenants)
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    fn access(sql: &str) -> AccessStatement {
        match parse_text(sql) {
            Ok(Some(Extended::Access(a))) => a,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn create_user_with_password_tls_and_tenant() {
        assert_eq!(
            access("CREATE USER IF NOT EXISTS 'bi'@'%' IDENTIFIED BY 'pw' REQUIRE SSL TENANT acme"),
            AccessStatement::CreateUser {
                if_not_exists: true,
                users: vec![(AccountName::new("bi", "%"), Some("pw".into()))],
                require_ssl: true,
                tenant: Some("acme".into())
            }
        );
        assert_eq!(
            access("create user bi@localhost, `x`"),
            AccessStatement::CreateUser {
                if_not_exists: false,
                users: vec![(AccountName::new("bi", "localhost"), None), (AccountName::new("x", "%"), None)],
                require_ssl: false,
                tenant: None
            }
        );
    }

    #[test]
    fn grants_of_privileges_and_of_roles() {
        assert_eq!(
            access("GRANT SELECT, CREATE VIEW, OPERATE JOB ON shop.* TO 'bi'@'%', analyst WITH GRANT OPTION"),
            AccessStatement::Grant {
                privileges: Privileges::List(vec![Privilege::Select, Privilege::CreateView, Privilege::OperateJob]),
                target: GrantTarget::Objects(vec![Some("shop".into()), None]),
                to: vec![Grantee::Named(AccountName::new("bi", "%")), Grantee::Named(AccountName::new("analyst", "%"))],
                grant_option: true
            }
        );
        assert_eq!(
            access("GRANT ALL PRIVILEGES ON *.* TO CURRENT_USER()"),
            AccessStatement::Grant {
                privileges: Privileges::All,
                target: GrantTarget::Objects(vec![None, None]),
                to: vec![Grantee::Current],
                grant_option: false
            }
        );
        assert_eq!(
            access("GRANT USAGE ON CLUSTER `flink-2.2` TO bi"),
            AccessStatement::Grant {
                privileges: Privileges::List(vec![Privilege::Usage]),
                target: GrantTarget::Cluster("flink-2.2".into()),
                to: vec![Grantee::Named(AccountName::new("bi", "%"))],
                grant_option: false
            }
        );
        assert_eq!(
            access("GRANT analyst, 'ops'@'%' TO bi"),
            AccessStatement::GrantRoles {
                roles: vec![AccountName::new("analyst", "%"), AccountName::new("ops", "%")],
                to: vec![Grantee::Named(AccountName::new("bi", "%"))],
                admin_option: false
            }
        );
        assert_eq!(
            access("REVOKE INSERT, GRANT OPTION ON lake.s.t FROM bi"),
            AccessStatement::Revoke {
                privileges: Privileges::List(vec![Privilege::Insert]),
                grant_option: true,
                target: GrantTarget::Objects(vec![Some("lake".into()), Some("s".into()), Some("t".into())]),
                from: vec![Grantee::Named(AccountName::new("bi", "%"))]
            }
        );
    }

    #[test]
    fn bad_grants_are_syntax_errors_at_the_word() {
        let e = parse_text("GRANT SELEKT ON *.* TO bi").unwrap_err();
        assert!(e.message.starts_with("expected a privilege"), "{e}");
        assert_eq!(e.column, 7);
        let e = parse_text("GRANT SELECT ON *.t TO bi").unwrap_err();
        assert!(e.message.contains("db.*"), "{e}");
        assert!(parse_text("GRANT SELECT ON x.* TO").is_err());
    }

    #[test]
    fn passwords_roles_grants_and_tenants() {
        assert_eq!(access("SET PASSWORD = 'n'"), AccessStatement::SetPassword { user: Grantee::Current, password: "n".into() });
        assert_eq!(access("SET ROLE NONE"), AccessStatement::SetRole(RoleChoice::None));
        assert_eq!(access("SHOW GRANTS FOR 'bi'@'%'"), AccessStatement::ShowGrants { user: Some(Grantee::Named(AccountName::new("bi", "%"))) });
        assert_eq!(access("SHOW GRANTS"), AccessStatement::ShowGrants { user: None });
        match access("CREATE TENANT acme WITH ('catalogs' = 'acme_lake', 'MAX_RUNNING_JOBS' = '2')") {
            AccessStatement::CreateTenant { name, options, .. } => {
                assert_eq!(name, "acme");
                assert_eq!(options.get("max_running_jobs").map(String::as_str), Some("2"));
            }
            other => panic!("{other:?}"),
        }
        assert!(access("ALTER USER bi IDENTIFIED BY 'x'").has_secret());
    }
}
