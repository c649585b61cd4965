//! A tenant's names. The jobs, datasyncs, schedules, alert rules and alert channels a tenant's
//! user names live in its tenant's namespace: stored and shown as `tenant.name`, so two tenants
//! may each have a job `etl`, and neither learns of the other's from a name refused as taken.
//!
//! A tenant's user may leave its tenant out (`etl` and `acme.etl` are one job for acme's
//! users); whatever else it names is looked up in its own namespace too, so another tenant's
//! object is one that does not exist. An administrator names objects whole. Only an
//! administrator may create a name with a `.` outside its own namespace: nobody else can take a
//! name in a tenant's.

use super::{Access, AuthError};
use crate::statement::{AlertScope, AlertStatement, DatasyncStatement, Extended, JobStatement, Members, ScheduleChange, ScheduleOptions, ScheduleStatement};

/// The namespace of a session's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    /// `tenant.` for a tenant's user (not an administrator); `None`: names are taken as given.
    prefix: Option<String>,
    admin: bool,
}

impl Namespace {
    pub fn of(access: &Access) -> Self {
        let admin = access.is_superuser();
        let prefix = if admin { None } else { access.tenant_name().map(|t| format!("{t}.")) };
        Self { prefix, admin }
    }

    /// Whether names are taken as given (an administrator, or an account of no tenant).
    pub fn is_plain(&self) -> bool {
        self.prefix.is_none()
    }

    /// A name as it is stored.
    pub fn name(&self, name: &str) -> String {
        match &self.prefix {
            Some(p) if !name.starts_with(p.as_str()) => format!("{p}{name}"),
            _ => name.to_string(),
        }
    }

    /// The name of an object being created, as stored; `kind` names it in the refusal of a name
    /// with a `.` of its own (one only an administrator may give).
    pub fn created(&self, kind: &'static str, name: &str) -> Result<String, AuthError> {
        let stored = self.name(name);
        let own = self.prefix.as_deref().map_or(0, str::len);
        if !self.admin && stored[own..].contains('.') {
            return Err(AuthError::DottedName { kind, name: name.to_string() });
        }
        Ok(stored)
    }

    /// Whether an object of this name is one the session's names may hold: an administrator
    /// any; a tenant's user its tenant's (`tenant.name`); anyone else a name with no `.`.
    pub fn holds(&self, stored: &str) -> bool {
        match &self.prefix {
            _ if self.admin => true,
            Some(p) => stored.starts_with(p.as_str()),
            None => !stored.contains('.'),
        }
    }

    /// Whether the session sees a lineage record's job or datasync (views and statements are
    /// seen by their tables).
    pub fn sees_via(&self, kind: crate::lineage::graph::ViaKind, via: &str) -> bool {
        use crate::lineage::graph::ViaKind;
        match kind {
            ViaKind::Job | ViaKind::Datasync => self.holds(via),
            ViaKind::View | ViaKind::Statement => true,
        }
    }

    /// A LIKE pattern over stored names: the prefix, escaped, then the pattern.
    pub fn pattern(&self, like: &str) -> String {
        match &self.prefix {
            Some(p) if !like.starts_with(p.as_str()) => {
                let mut out = String::with_capacity(p.len() + like.len() + 2);
                for c in p.chars() {
                    if matches!(c, '%' | '_' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push_str(like);
                out
            }
            _ => like.to_string(),
        }
    }

    fn names(&self, names: &mut [String]) {
        for n in names {
            *n = self.name(n);
        }
    }

    /// The statement with every name of a job, datasync, schedule, alert rule or channel it
    /// gives as stored; a name given to a new object with a `.` of its own is refused.
    pub fn statement(&self, statement: Extended) -> Result<Extended, AuthError> {
        if self.admin {
            return Ok(statement);
        }
        Ok(match statement {
            Extended::Job(j) => Extended::Job(self.job(j)?),
            Extended::Datasync(d) => Extended::Datasync(self.datasync(d)?),
            Extended::Schedule(s) => Extended::Schedule(self.schedule(s)?),
            Extended::Alert(a) => Extended::Alert(self.alert(a)?),
            other => other,
        })
    }

    fn job(&self, mut j: JobStatement) -> Result<JobStatement, AuthError> {
        let stored = match &j {
            JobStatement::Create { name, .. } => self.created("job", name)?,
            other => self.name(other.name()),
        };
        *j.name_mut() = stored;
        Ok(j)
    }

    fn datasync(&self, mut d: DatasyncStatement) -> Result<DatasyncStatement, AuthError> {
        match &mut d {
            DatasyncStatement::Create { name, .. } => *name = self.created("datasync", name)?,
            DatasyncStatement::Show { like } => *like = Some(self.pattern(like.as_deref().unwrap_or("%"))),
            DatasyncStatement::ShowCreate { name } | DatasyncStatement::Drop { name, .. } => *name = self.name(name),
        }
        Ok(d)
    }

    fn options(&self, o: &mut ScheduleOptions) {
        if let Some(after) = &mut o.after {
            self.names(after);
        }
    }

    fn members(&self, m: &mut Members) {
        match m {
            Members::Jobs(jobs) => self.names(jobs),
            Members::JobsLike(p) => *p = self.pattern(p),
            Members::Schedules(schedules) => self.names(schedules),
        }
    }

    fn schedule(&self, mut s: ScheduleStatement) -> Result<ScheduleStatement, AuthError> {
        match &mut s {
            ScheduleStatement::Create { name, options, members, .. } => {
                *name = self.created("schedule", name)?;
                self.options(options);
                self.members(members);
            }
            ScheduleStatement::Alter { name, change } => {
                *name = self.name(name);
                match change {
                    ScheduleChange::Set(o) => self.options(o),
                    ScheduleChange::Exclude(jobs) | ScheduleChange::Include(jobs) => self.names(jobs),
                    ScheduleChange::Weight { job, .. } => *job = self.name(job),
                }
            }
            ScheduleStatement::Run { name }
            | ScheduleStatement::Pause { name }
            | ScheduleStatement::Resume { name }
            | ScheduleStatement::Stop { name }
            | ScheduleStatement::Drop { name, .. }
            | ScheduleStatement::Explain { name } => *name = self.name(name),
        }
        Ok(s)
    }

    fn alert(&self, mut a: AlertStatement) -> Result<AlertStatement, AuthError> {
        match &mut a {
            AlertStatement::CreateChannel { name, .. } => *name = self.created("alert channel", name)?,
            AlertStatement::CreateRule { name, scope, channels, .. } => {
                *name = self.created("alert rule", name)?;
                self.names(channels);
                match scope {
                    AlertScope::JobsLike(p) => *p = self.pattern(p),
                    AlertScope::Schedule(s) => *s = self.name(s),
                    AlertScope::All | AlertScope::Cluster(_) => {}
                }
            }
            AlertStatement::ShowChannels { like } | AlertStatement::ShowRules { like } => *like = Some(self.pattern(like.as_deref().unwrap_or("%"))),
            AlertStatement::DropChannel { name, .. } | AlertStatement::DropRule { name, .. } | AlertStatement::TestChannel { name } => *name = self.name(name),
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(t: &str) -> Namespace {
        Namespace { prefix: Some(format!("{t}.")), admin: false }
    }

    #[test]
    fn a_tenants_names_are_its_own_with_or_without_the_tenant() {
        let acme = tenant("acme");
        assert_eq!(acme.name("etl"), "acme.etl");
        assert_eq!(acme.name("acme.etl"), "acme.etl");
        // Another tenant's name is looked up in acme's namespace: it does not exist there.
        assert_eq!(acme.name("globex.etl"), "acme.globex.etl");
        assert!(matches!(acme.created("job", "globex.etl"), Err(AuthError::DottedName { .. })));
        assert_eq!(acme.created("job", "acme.etl").ok().as_deref(), Some("acme.etl"));
    }

    #[test]
    fn only_an_administrator_creates_a_name_with_a_dot() {
        let plain = Namespace { prefix: None, admin: false };
        assert_eq!(plain.name("etl"), "etl");
        assert!(matches!(plain.created("schedule", "acme.etl"), Err(AuthError::DottedName { kind: "schedule", .. })));
        let admin = Namespace { prefix: None, admin: true };
        assert_eq!(admin.created("job", "acme.etl").ok().as_deref(), Some("acme.etl"));
    }

    #[test]
    fn a_tenants_user_sees_the_jobs_of_its_names_in_lineage() {
        use crate::lineage::graph::ViaKind;
        let acme = tenant("acme");
        assert!(acme.sees_via(ViaKind::Job, "acme.etl"));
        assert!(!acme.sees_via(ViaKind::Datasync, "globex.sync"));
        assert!(!acme.sees_via(ViaKind::Job, "etl"));
        assert!(acme.sees_via(ViaKind::View, "default_catalog.db.v"));
        let plain = Namespace { prefix: None, admin: false };
        assert!(plain.sees_via(ViaKind::Job, "etl") && !plain.sees_via(ViaKind::Job, "acme.etl"));
    }

    #[test]
    fn a_tenants_patterns_match_only_its_names() {
        let t = tenant("a_b");
        let p = t.pattern("etl%");
        assert_eq!(p, "a\\_b.etl%");
        assert!(crate::value::like(&p, "a_b.etl_daily"));
        assert!(!crate::value::like(&p, "aXb.etl_daily"));
        assert!(!crate::value::like(&p, "etl_daily"));
    }

    #[test]
    fn every_name_a_statement_gives_is_qualified() {
        let acme = tenant("acme");
        let s = Extended::Schedule(ScheduleStatement::Create {
            name: "nightly".into(),
            if_not_exists: false,
            options: ScheduleOptions { after: Some(vec!["hourly".into()]), ..Default::default() },
            members: Members::Jobs(vec!["load".into(), "acme.report".into()]),
        });
        let Ok(Extended::Schedule(ScheduleStatement::Create { name, options, members, .. })) = acme.statement(s) else { panic!("qualified") };
        assert_eq!(name, "acme.nightly");
        assert_eq!(options.after, Some(vec!["acme.hourly".to_string()]));
        assert_eq!(members, Members::Jobs(vec!["acme.load".into(), "acme.report".into()]));
    }
}
