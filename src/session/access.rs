//! The account statements in a session (CREATE/ALTER/DROP USER, roles, GRANT, REVOKE, SET
//! PASSWORD, SET ROLE, SHOW GRANTS, tenants), the check every statement passes before it runs,
//! and the session's privileges kept current.

use std::collections::BTreeMap;

use super::context::Context;
use super::local::table_response;
use crate::auth::model::{AccountRecord, GrantRecord, RoleEdge, Tenant};
use crate::auth::required::{self, Scope};
use crate::auth::{Access, AuthError};
use crate::catalog::store::now_ms;
use crate::error::WeirError;
use crate::protocol::{OkResponse, Response, StoredPassword};
use crate::statement::privilege::{Level, Privilege};
use crate::statement::{
    AccessStatement, AccountName, Extended, FlinkStatement, GrantTarget, Grantee, JobChange, JobStatement, Privileges, RoleChoice, Statement,
};
use crate::value::LocalTable;

fn ok(affected: u64) -> Result<Response, WeirError> {
    Ok(Response::Ok(OkResponse { affected_rows: affected, ..Default::default() }))
}

impl Context {
    /// The session's privileges, recomputed when any grant changed since.
    pub(super) fn access(&mut self) -> &Access {
        let auth = &self.shared.auth;
        if self.access.generation != auth.generation() {
            self.access = auth.access(&self.info.user, &self.info.peer, self.roles.as_deref());
        }
        &self.access
    }

    fn scope(&self) -> crate::catalog::Scope {
        self.flink.scope()
    }
}

/// Checks what `statement` needs (one bound for Flink: as written, and again as Flink gets it
/// by [`check_flink`]), and that the session may use its cluster.
pub(super) fn check(s: &mut Context, sql: &str, statement: &Statement) -> Result<(), WeirError> {
    if s.access().is_superuser() {
        return Ok(());
    }
    let scope = s.scope();
    let scope = Scope { catalog: &scope.catalog, database: &scope.database };
    // A statement bound for Flink is checked as written here (before a translation asks Flink
    // about its tables) and as Flink gets it by `check_flink`: the same text, in a Flink
    // session, is parsed once for both and for its audit record.
    let mut needs = match statement {
        Statement::Flink(f) => s.needs.flink(f, sql, scope).to_vec(),
        _ => required::needs(statement, sql, scope),
    };
    // A job's statement runs with its creator's privileges: it needs what it would need typed in.
    if let Statement::Extended(Extended::Job(JobStatement::Create { body, .. } | JobStatement::Alter { change: JobChange::Body(body), .. })) = statement {
        let f = crate::statement::classify::classify_flink(body);
        needs.extend(required::flink(&f, body, scope));
    }
    let access = s.access().clone();
    required::check(&access, &needs)?;
    if matches!(statement, Statement::Use(_) | Statement::Metadata(_)) {
        check_cluster(s)?;
    }
    Ok(())
}

/// Checks a statement bound for Flink, as Flink will get it (after translation).
pub(super) fn check_flink(s: &mut Context, sql: &str, statement: &FlinkStatement) -> Result<(), WeirError> {
    if s.access().is_superuser() {
        return Ok(());
    }
    let scope = s.scope();
    let needs = s.needs.flink(statement, sql, Scope { catalog: &scope.catalog, database: &scope.database });
    let access = s.access().clone();
    required::check(&access, &needs)?;
    check_cluster(s)
}

/// The session's cluster is one its account may use.
pub(super) fn check_cluster(s: &mut Context) -> Result<(), WeirError> {
    let cluster = s.flink.cluster().name().to_string();
    if s.access().may_use_cluster(&cluster) { Ok(()) } else { Err(AuthError::NeedPrivilege(format!("USAGE ON CLUSTER `{cluster}`")).into()) }
}

/// The objects a statement names, for its audit record.
pub(super) fn objects(s: &mut Context, sql: &str, statement: &Statement) -> String {
    let scope = s.flink.scope();
    let scope = Scope { catalog: &scope.catalog, database: &scope.database };
    let mut names = match statement {
        Statement::Flink(f) => required::objects(&s.needs.flink(f, sql, scope)),
        _ => required::objects(&required::needs(statement, sql, scope)),
    };
    let named = match statement {
        Statement::Extended(Extended::Job(j)) => Some(j.name()),
        _ => None,
    };
    if let Some(n) = named {
        if !names.is_empty() {
            names.push(',');
        }
        names.push_str(&format!("job:{n}"));
    }
    names
}

/// An object still named in tenant `tenant`'s namespace (`tenant.name`), as "kind name".
async fn tenant_object(s: &Context, tenant: &str) -> Result<Option<String>, WeirError> {
    let prefix = format!("{tenant}.");
    let shared = &s.shared;
    let jobs = shared.jobs.registry.all().await?.into_iter().map(|j| ("job", j.name));
    let schedules = shared.schedules.registry.all().await?.into_iter().map(|r| ("schedule", r.definition.name));
    let rules = shared.alerts.registry.rules().await?.into_iter().map(|r| ("alert rule", r.name));
    let channels = shared.alerts.registry.channels().await?.into_iter().map(|c| ("alert channel", c.name));
    let mut all = jobs.chain(schedules).chain(rules).chain(channels);
    Ok(all.find(|(_, n)| n.starts_with(&prefix)).map(|(kind, n)| format!("{kind} {n}")))
}

/// A job another tenant's user created does not exist for this session (1305).
pub(super) async fn guard_job(s: &mut Context, name: &str) -> Result<(), WeirError> {
    let access = s.access().clone();
    if access.is_superuser() {
        return Ok(());
    }
    if let Some(job) = s.shared.jobs.registry.get(name).await?
        && !s.shared.auth.owns(&access, &job.created_by)
    {
        return Err(crate::jobs::JobError::Unknown(name.to_string()).into());
    }
    Ok(())
}

/// The session's tenant may start `job` (its current version): see [`start_quota`].
pub(super) async fn job_quota(s: &mut Context, job: &crate::jobs::JobRecord) -> Result<(), WeirError> {
    let wanted = slots_of(s, job, job.version).await?;
    start_quota(s, wanted).await
}

/// The session's tenant may start one more job taking `wanted` task slots: its running jobs
/// stay within `max_running_jobs` and their slots within `max_slots` (1226 naming the quota).
pub(super) async fn start_quota(s: &mut Context, wanted: u64) -> Result<(), WeirError> {
    let access = s.access().clone();
    let Some(tenant) = access.tenant.clone() else { return Ok(()) };
    if tenant.max_running_jobs.is_none() && tenant.max_slots.is_none() {
        return Ok(());
    }
    use crate::jobs::JobState;
    let running: Vec<crate::jobs::JobRecord> = s
        .shared
        .jobs
        .registry
        .all()
        .await?
        .into_iter()
        .filter(|j| matches!(j.state, JobState::Starting | JobState::Running | JobState::Recovering))
        .filter(|j| s.shared.auth.tenant_of_user(&j.created_by).as_deref() == Some(tenant.name.as_str()))
        .collect();
    if let Some(limit) = tenant.max_running_jobs {
        let current = running.len() as u64;
        if current + 1 > u64::from(limit) {
            return Err(AuthError::Quota { tenant: tenant.name.clone(), quota: "max_running_jobs", current, limit: u64::from(limit) }.into());
        }
    }
    if let Some(limit) = tenant.max_slots {
        let mut current = 0;
        for j in &running {
            current += slots_of(s, j, j.running_version.unwrap_or(j.version)).await?;
        }
        if current + wanted > u64::from(limit) {
            return Err(AuthError::Quota { tenant: tenant.name.clone(), quota: "max_slots", current: current + wanted, limit: u64::from(limit) }.into());
        }
    }
    Ok(())
}

/// The task slots a version of a job takes: the `parallelism.default` of the Flink options it
/// is submitted with (1 when unset).
async fn slots_of(s: &Context, job: &crate::jobs::JobRecord, version: u32) -> Result<u64, WeirError> {
    let options = s.shared.jobs.registry.version(&job.name, version).await?.map(|v| v.options).unwrap_or_default();
    Ok(parallelism_of(&options))
}

/// The parallelism Flink options give a job (1 when unset).
fn parallelism_of(options: &BTreeMap<String, String>) -> u64 {
    options.get("parallelism.default").and_then(|p| p.trim().parse().ok()).unwrap_or(1)
}

/// Answers an account statement.
pub(super) async fn answer(s: &mut Context, statement: &AccessStatement) -> Result<Response, WeirError> {
    let auth = s.shared.auth.clone();
    let _serial = auth.changes.lock().await;
    let model = auth.model();
    let me = s.access().clone();
    let resolve = |g: &Grantee| match g {
        Grantee::Current => me.account.clone(),
        Grantee::Named(n) => n.clone(),
    };
    let r = match statement {
        AccessStatement::CreateUser { if_not_exists, users, require_ssl, tenant } => {
            me.require_global(Privilege::CreateUser)?;
            if let Some(t) = tenant
                && model.tenant(t).is_none()
            {
                return Err(AuthError::UnknownTenant(t.clone()).into());
            }
            let mut created = 0;
            for (name, password) in users {
                let taken = model.account(name).is_some() || auth.is_bootstrap(&name.user);
                if taken {
                    if *if_not_exists {
                        s.warn(3163, format!("Authorization ID {name} already exists."));
                        continue;
                    }
                    return Err(AuthError::Operation { operation: "CREATE USER", account: name.to_string() }.into());
                }
                let record = AccountRecord {
                    name: name.clone(),
                    password: password.as_deref().map(StoredPassword::from_cleartext).unwrap_or(StoredPassword::Empty),
                    require_ssl: *require_ssl,
                    tenant: tenant.clone(),
                    is_role: false,
                    created_at: now_ms(),
                };
                if !auth.store().add_account(&record).await? {
                    return Err(AuthError::Operation { operation: "CREATE USER", account: name.to_string() }.into());
                }
                created += 1;
            }
            let _ = created;
            ok(0)
        }
        AccessStatement::AlterUser { if_exists, user, password, require_ssl, tenant } => {
            let name = resolve(user);
            let own_password_only = name == me.account && require_ssl.is_none() && tenant.is_none();
            if !own_password_only {
                me.require_global(Privilege::CreateUser)?;
            }
            let Some(existing) = model.account(&name).filter(|a| !a.is_role).cloned() else {
                if *if_exists {
                    s.warn(3162, format!("Authorization ID {name} does not exist."));
                    return ok(0);
                }
                return Err(AuthError::Operation { operation: "ALTER USER", account: name.to_string() }.into());
            };
            let mut record = existing;
            if let Some(p) = password {
                record.password = StoredPassword::from_cleartext(p);
            }
            if let Some(r) = require_ssl {
                record.require_ssl = *r;
            }
            if let Some(t) = tenant {
                if let Some(t) = t
                    && model.tenant(t).is_none()
                {
                    return Err(AuthError::UnknownTenant(t.clone()).into());
                }
                record.tenant = t.clone();
            }
            auth.store().update_account(&record).await?;
            ok(0)
        }
        AccessStatement::SetPassword { user, password } => {
            let name = resolve(user);
            if name != me.account {
                me.require_global(Privilege::CreateUser)?;
            }
            let Some(mut record) = model.account(&name).filter(|a| !a.is_role).cloned() else {
                return Err(WeirError::Sql(crate::protocol::MySqlError::new(
                    crate::protocol::codes::ER_PASSWORD_NO_MATCH,
                    if auth.is_bootstrap(&name.user) {
                        format!("{name} is configured in Weir's configuration file ([[users]]): change its password there (weir passwd)")
                    } else {
                        "Can't find any matching row in the user table".to_string()
                    },
                )));
            };
            record.password = StoredPassword::from_cleartext(password);
            auth.store().update_account(&record).await?;
            ok(0)
        }
        AccessStatement::DropUser { if_exists, users } | AccessStatement::DropRole { if_exists, roles: users } => {
            let role = matches!(statement, AccessStatement::DropRole { .. });
            let operation = if role { "DROP ROLE" } else { "DROP USER" };
            me.require_global(Privilege::CreateUser)?;
            for name in users {
                let Some(a) = model.account(name).filter(|a| a.is_role == role) else {
                    if *if_exists {
                        s.warn(3162, format!("Authorization ID {name} does not exist."));
                        continue;
                    }
                    return Err(AuthError::Operation { operation, account: name.to_string() }.into());
                };
                let grants: Vec<GrantRecord> = model.grants_of(&a.name).cloned().collect();
                let edges: Vec<RoleEdge> = model.edges.iter().filter(|e| e.role == a.name || e.to == a.name).cloned().collect();
                auth.store().drop_account(&a.name, &grants, &edges).await?;
            }
            ok(0)
        }
        AccessStatement::CreateRole { if_not_exists, roles } => {
            me.require_global(Privilege::CreateUser)?;
            for name in roles {
                if model.account(name).is_some() {
                    if *if_not_exists {
                        s.warn(3163, format!("Authorization ID {name} already exists."));
                        continue;
                    }
                    return Err(AuthError::Operation { operation: "CREATE ROLE", account: name.to_string() }.into());
                }
                let record = AccountRecord {
                    name: name.clone(),
                    password: StoredPassword::Empty,
                    require_ssl: false,
                    tenant: None,
                    is_role: true,
                    created_at: now_ms(),
                };
                auth.store().add_account(&record).await?;
            }
            ok(0)
        }
        AccessStatement::Grant { privileges, target, to, grant_option } => {
            let level = level_of(s, target).await?;
            let list = privilege_list(privileges, &level)?;
            require_grant_option(&me, &list, &level)?;
            let mut put = Vec::new();
            let mut remove = Vec::new();
            for g in to {
                let who = resolve(g);
                if model.account(&who).is_none() {
                    return Err(AuthError::NoSuchUserToGrant.into());
                }
                for p in &list {
                    if *p == Privilege::Usage && level == Level::Global {
                        continue;
                    }
                    let negative = GrantRecord { grantee: who.clone(), privilege: *p, level: level.clone(), grantable: false, negative: true };
                    remove.push(negative);
                    // Keeps a grant option already held.
                    let held = model.grants_of(&who).any(|h| !h.negative && h.privilege == *p && h.level == level && h.grantable);
                    put.push(GrantRecord { grantee: who.clone(), privilege: *p, level: level.clone(), grantable: *grant_option || held, negative: false });
                }
            }
            auth.store().change_grants(&put, &remove).await?;
            ok(0)
        }
        AccessStatement::Revoke { privileges, grant_option, target, from } => {
            let level = level_of(s, target).await?;
            let list = match privileges {
                Privileges::List(l) if l.is_empty() => Vec::new(),
                p => privilege_list(p, &level)?,
            };
            require_grant_option(&me, &list, &level)?;
            let mut put = Vec::new();
            let mut remove = Vec::new();
            for g in from {
                let who = resolve(g);
                if model.account(&who).is_none() {
                    return Err(no_such_grant(&who, &level).into());
                }
                let held: Vec<&GrantRecord> = model.grants_of(&who).filter(|h| !h.negative && h.level == level).collect();
                for p in &list {
                    match held.iter().find(|h| h.privilege == *p) {
                        Some(h) => remove.push((*h).clone()),
                        // USAGE of a cluster every account may use: revoked by a negative grant.
                        None if *p == Privilege::Usage && matches!(level, Level::Cluster(_)) => {
                            put.push(GrantRecord { grantee: who.clone(), privilege: *p, level: level.clone(), grantable: false, negative: true })
                        }
                        None if matches!(privileges, Privileges::All) => {}
                        None => return Err(no_such_grant(&who, &level).into()),
                    }
                }
                if matches!(privileges, Privileges::All) && held.is_empty() {
                    return Err(no_such_grant(&who, &level).into());
                }
                if *grant_option {
                    let with_option: Vec<&&GrantRecord> = held.iter().filter(|h| h.grantable && !list.contains(&h.privilege)).collect();
                    if with_option.is_empty() && list.is_empty() {
                        return Err(no_such_grant(&who, &level).into());
                    }
                    for h in with_option {
                        remove.push((*h).clone());
                        put.push(GrantRecord { grantable: false, ..(*h).clone() });
                    }
                }
            }
            auth.store().change_grants(&put, &remove).await?;
            ok(0)
        }
        AccessStatement::GrantRoles { roles, to, admin_option } => {
            me.require_global(Privilege::CreateUser)?;
            let mut put = Vec::new();
            for role in roles {
                if model.account(role).is_none() {
                    return Err(AuthError::UnknownAuthorization(backquoted(role)).into());
                }
                for g in to {
                    let who = resolve(g);
                    if model.account(&who).is_none() {
                        return Err(AuthError::UnknownAuthorization(backquoted(&who)).into());
                    }
                    // A loop: the role already holds `who` (or is it).
                    if &who == role || model.roles_closure(role).contains(&who) {
                        return Err(AuthError::RoleLoop { to: backquoted(&who), role: backquoted(role) }.into());
                    }
                    put.push(RoleEdge { role: role.clone(), to: who, admin: *admin_option });
                }
            }
            auth.store().change_edges(&put, &[]).await?;
            ok(0)
        }
        AccessStatement::RevokeRoles { roles, from } => {
            me.require_global(Privilege::CreateUser)?;
            let mut remove = Vec::new();
            for role in roles {
                for g in from {
                    let who = resolve(g);
                    match model.edges.iter().find(|e| &e.role == role && e.to == who) {
                        Some(e) => remove.push(e.clone()),
                        None => {
                            return Err(AuthError::RoleNotGranted { role: backquoted(role), to: backquoted(&who) }.into());
                        }
                    }
                }
            }
            auth.store().change_edges(&[], &remove).await?;
            ok(0)
        }
        AccessStatement::SetRole(choice) => {
            let roles = match choice {
                RoleChoice::Default | RoleChoice::All => None,
                RoleChoice::None => Some(Vec::new()),
                RoleChoice::Some(list) => {
                    let granted = model.roles_closure(&me.account);
                    for r in list {
                        if !me.is_superuser() && !granted.contains(r) {
                            return Err(AuthError::RoleNotGranted { role: backquoted(r), to: backquoted(&me.account) }.into());
                        }
                    }
                    Some(list.clone())
                }
            };
            s.roles = roles;
            s.access = auth.access(&s.info.user, &s.info.peer, s.roles.as_deref());
            return ok(0);
        }
        AccessStatement::ShowGrants { user } => {
            let who = user.as_ref().map(&resolve).unwrap_or_else(|| me.account.clone());
            if who != me.account {
                me.require_global(Privilege::CreateUser)?;
            }
            return show_grants(s, &who, &me);
        }
        AccessStatement::CreateTenant { if_not_exists, name, options } => {
            me.require_global(Privilege::Super)?;
            let tenant = Tenant::from_options(name, options, now_ms()).map_err(AuthError::Option)?;
            for c in &tenant.clusters {
                if s.shared.clusters.get(c).is_none() {
                    return Err(AuthError::UnknownCluster(c.clone()).into());
                }
            }
            if !auth.store().add_tenant(&tenant).await? {
                if *if_not_exists {
                    s.warn(1050, format!("Tenant '{name}' already exists"));
                    return ok(0);
                }
                return Err(AuthError::TenantExists(name.clone()).into());
            }
            ok(0)
        }
        AccessStatement::DropTenant { if_exists, name } => {
            me.require_global(Privilege::Super)?;
            if let Some(a) = model.accounts.iter().find(|a| a.tenant.as_deref() == Some(name)) {
                return Err(AuthError::TenantInUse { tenant: name.clone(), by: format!("account {}", a.name) }.into());
            }
            if let Some(object) = tenant_object(s, name).await? {
                return Err(AuthError::TenantInUse { tenant: name.clone(), by: object }.into());
            }
            if !auth.store().drop_tenant(name).await? {
                if *if_exists {
                    s.warn(1305, format!("TENANT {name} does not exist"));
                    return ok(0);
                }
                return Err(AuthError::UnknownTenant(name.clone()).into());
            }
            ok(0)
        }
        AccessStatement::ShowTenants => {
            me.require_global(Privilege::Super)?;
            let rows = model
                .tenants
                .iter()
                .map(|t| {
                    let users = model.accounts.iter().filter(|a| a.tenant.as_deref() == Some(&t.name)).count();
                    vec![
                        Some(t.name.clone()),
                        Some(t.catalogs.join(",")),
                        Some(t.clusters.join(",")),
                        t.max_running_jobs.map(|n| n.to_string()),
                        t.max_slots.map(|n| n.to_string()),
                        Some(users.to_string()),
                    ]
                })
                .collect();
            return table_response(LocalTable::text(&["Tenant", "Catalogs", "Clusters", "Max_running_jobs", "Max_slots", "Users"], rows));
        }
    };
    auth.changed().await?;
    r
}

fn backquoted(a: &AccountName) -> String {
    format!("`{}`@`{}`", a.user, a.host)
}

/// The level a GRANT or REVOKE names, its names resolved like a query's (in the session's
/// catalog and database); a table must exist, a cluster must be configured.
async fn level_of(s: &mut Context, target: &GrantTarget) -> Result<Level, WeirError> {
    let scope = s.scope();
    let level = match target {
        GrantTarget::Cluster(c) => {
            if s.shared.clusters.get(c).is_none() {
                return Err(AuthError::UnknownCluster(c.clone()).into());
            }
            return Ok(Level::Cluster(c.clone()));
        }
        GrantTarget::Objects(parts) => match parts.as_slice() {
            [None, None] => Level::Global,
            [None] => Level::Database { catalog: scope.catalog.clone(), database: scope.database.clone() },
            [Some(t)] => Level::Table { catalog: scope.catalog.clone(), database: scope.database.clone(), table: t.clone() },
            [Some(d), None] => Level::Database { catalog: scope.catalog.clone(), database: d.clone() },
            [Some(d), Some(t)] => Level::Table { catalog: scope.catalog.clone(), database: d.clone(), table: t.clone() },
            [Some(c), Some(d), None] => Level::Database { catalog: c.clone(), database: d.clone() },
            [Some(c), Some(d), Some(t)] => Level::Table { catalog: c.clone(), database: d.clone(), table: t.clone() },
            _ => {
                return Err(WeirError::Syntax("expected *.*, db.*, db.table, catalog.db.* or catalog.db.table".into()));
            }
        },
    };
    if let Level::Table { catalog, database, table } = &level {
        let exists = matches!(s.flink.table_columns(&[catalog.clone(), database.clone(), table.clone()]).await, Ok(c) if !c.is_empty());
        if !exists {
            return Err(WeirError::UnknownTable { database: database.clone(), table: table.clone() });
        }
    }
    Ok(level)
}

fn privilege_list(privileges: &Privileges, level: &Level) -> Result<Vec<Privilege>, AuthError> {
    let list = match privileges {
        Privileges::All => Privilege::all_at(level),
        Privileges::List(l) => l.clone(),
    };
    for p in &list {
        if !p.grantable_at(level) {
            return Err(AuthError::WrongLevel { privilege: p.name(), level: level.to_string() });
        }
    }
    Ok(list)
}

/// GRANT and REVOKE of `list` at `level` need each of them held there with the grant option.
fn require_grant_option(me: &Access, list: &[Privilege], level: &Level) -> Result<(), AuthError> {
    match list.iter().find(|p| !me.may_grant(**p, level)) {
        Some(p) => Err(grant_denied(me, *p, level)),
        None => Ok(()),
    }
}

fn grant_denied(me: &Access, p: Privilege, level: &Level) -> AuthError {
    match level {
        Level::Table { catalog, database, table } => {
            let t = crate::auth::required::Qualified { catalog: catalog.clone(), database: database.clone(), table: table.clone() };
            AuthError::TableDenied { privilege: "GRANT".into(), user: me.account.user.clone(), host: me.client_host.clone(), table: t.display() }
        }
        Level::Database { database, .. } => me.database_denied(database),
        Level::Global | Level::Cluster(_) => AuthError::NeedPrivilege(format!("{p} WITH GRANT OPTION")),
    }
}

fn no_such_grant(who: &AccountName, level: &Level) -> AuthError {
    match level {
        Level::Table { table, .. } => AuthError::NoSuchTableGrant { user: who.user.clone(), host: who.host.clone(), table: table.clone() },
        _ => AuthError::NoSuchGrant { user: who.user.clone(), host: who.host.clone() },
    }
}

/// `SHOW GRANTS [FOR who]`: MySQL's lines — USAGE on `*.*`, each level's privileges, the
/// roles — plus Weir's cluster lines.
fn show_grants(s: &mut Context, who: &AccountName, me: &Access) -> Result<Response, WeirError> {
    let auth = s.shared.auth.clone();
    let model = auth.model();
    let q = |a: &AccountName| format!("`{}`@`{}`", a.user, a.host);
    let header = format!("Grants for {}@{}", who.user, who.host);
    let mut lines = Vec::new();
    let is_me_bootstrap = *who == me.account && me.is_superuser();
    if is_me_bootstrap || (model.account(who).is_none() && auth.is_bootstrap(&who.user)) {
        lines.push(format!("GRANT ALL PRIVILEGES ON *.* TO {} WITH GRANT OPTION", q(who)));
    } else {
        if model.account(who).is_none() {
            return Err(AuthError::NoSuchGrant { user: who.user.clone(), host: who.host.clone() }.into());
        }
        let mut by_level: BTreeMap<(Level, bool), Vec<Privilege>> = BTreeMap::new();
        let mut revoked = Vec::new();
        for g in model.grants_of(who) {
            if g.negative {
                revoked.push(g.level.to_string());
                continue;
            }
            by_level.entry((g.level.clone(), g.grantable)).or_default().push(g.privilege);
        }
        if !by_level.keys().any(|(l, _)| *l == Level::Global) {
            lines.push(format!("GRANT USAGE ON *.* TO {}", q(who)));
        }
        for ((level, grantable), mut privileges) in by_level {
            privileges.sort();
            let names: Vec<&str> = privileges.iter().map(|p| p.name()).collect();
            let on = match &level {
                Level::Cluster(_) => level.to_string(),
                other => other.to_string(),
            };
            lines.push(format!("GRANT {} ON {on} TO {}{}", names.join(", "), q(who), if grantable { " WITH GRANT OPTION" } else { "" }));
        }
        for r in revoked {
            lines.push(format!("-- USAGE ON {r} revoked from {}", q(who)));
        }
        let roles: Vec<&RoleEdge> = model.roles_of(who);
        if !roles.is_empty() {
            let (admin, plain): (Vec<&&RoleEdge>, Vec<&&RoleEdge>) = roles.iter().partition(|e| e.admin);
            for (set, suffix) in [(plain, ""), (admin, " WITH ADMIN OPTION")] {
                if !set.is_empty() {
                    lines.push(format!("GRANT {} TO {}{suffix}", set.iter().map(|e| q(&e.role)).collect::<Vec<_>>().join(","), q(who)));
                }
            }
        }
    }
    table_response(LocalTable::text(&[&header], lines.into_iter().map(|l| vec![Some(l)]).collect()))
}
