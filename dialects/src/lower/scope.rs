//! Name resolution: which relation a column belongs to, its type, and its spelling in the
//! catalog.
//!
//! MySQL column names are case-insensitive, and Oracle folds unquoted names to upper case,
//! while Flink matches names exactly. So a column (or table) name is matched exactly first and
//! then, where the source dialect would, case-insensitively; when the schema context knows the
//! name, the catalog's spelling is printed.

use sqlparser::ast::Ident;

use super::{Lowerer, TExpr};
use crate::flink_ast::Name;
use crate::schema::FlinkType;

/// Columns of a relation, with their types when known.
pub(crate) type Columns = Vec<(String, Option<FlinkType>)>;

/// A relation visible in a scope: a table, view, CTE or derived table.
#[derive(Debug, Clone)]
pub(crate) struct Relation {
    /// The name qualified references use: the alias, else the table's last name part.
    pub qualifier: String,
    /// The full table name, for references qualified with more parts.
    pub full_name: Name,
    /// Its columns, when known.
    pub columns: Option<Columns>,
}

/// The relations of one query level (a SELECT's FROM clause).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// Visible relations, in FROM order.
    pub relations: Vec<Relation>,
}

/// A common table expression in scope.
#[derive(Debug, Clone)]
pub(crate) struct CteInfo {
    /// Its name.
    pub name: String,
    /// Its columns, when known.
    pub columns: Option<Columns>,
}

/// Select-list aliases that GROUP BY or HAVING may refer to (MySQL).
#[derive(Debug, Clone)]
pub(crate) struct AliasEnv {
    /// Alias and the lowered expression it names.
    pub aliases: Vec<(String, TExpr)>,
    /// In HAVING, names that are plain GROUP BY columns win over aliases (MySQL's rule).
    pub group_columns: Vec<String>,
    /// In GROUP BY, columns of the FROM clause win over aliases (MySQL's rule).
    pub prefer_columns: bool,
}

impl Lowerer<'_> {
    /// Whether `written` (as the source spells it) names `actual`.
    fn same_name(&self, written: &Ident, actual: &str, insensitive_ok: bool) -> bool {
        written.value == actual
            || (insensitive_ok
                && (self.mysql() || written.quote_style.is_none())
                && written.value.eq_ignore_ascii_case(actual))
    }

    /// Resolves a column reference (`col`, `t.col`, `db.t.col`): its printed name and type.
    /// `None` when no relation in scope is known to have it.
    pub fn resolve_column(&self, parts: &[Ident]) -> Option<(Name, Option<FlinkType>)> {
        let (column, qualifier) = parts.split_last()?;
        for insensitive in [false, true] {
            for scope in self.scopes.iter().rev() {
                let mut unknown_columns = false;
                for rel in &scope.relations {
                    if let Some(q) = qualifier.last() {
                        let matches = self.same_name(q, &rel.qualifier, insensitive)
                            || (qualifier.len() > 1
                                && rel.full_name.len() >= qualifier.len()
                                && qualifier
                                    .iter()
                                    .rev()
                                    .zip(rel.full_name.iter().rev())
                                    .all(|(w, a)| self.same_name(w, a, insensitive)));
                        if !matches {
                            continue;
                        }
                        let mut printed: Name = qualifier.iter().map(|i| i.value.clone()).collect();
                        if let Some(last) = printed.last_mut()
                            && qualifier.len() == 1 {
                                *last = rel.qualifier.clone();
                            }
                        let Some(cols) = &rel.columns else {
                            printed.push(column.value.clone());
                            return Some((printed, None));
                        };
                        if let Some((name, ty)) = self.find_column(cols, column, insensitive) {
                            printed.push(name);
                            return Some((printed, ty));
                        }
                    } else {
                        match &rel.columns {
                            None => unknown_columns = true,
                            Some(cols) => {
                                if let Some((name, ty)) = self.find_column(cols, column, insensitive) {
                                    return Some((vec![name], ty));
                                }
                            }
                        }
                    }
                }
                // An unqualified name in a scope with a relation of unknown columns may be that
                // relation's: do not look further out.
                if unknown_columns && qualifier.is_empty() {
                    return None;
                }
            }
        }
        None
    }

    fn find_column(&self, cols: &Columns, column: &Ident, insensitive: bool) -> Option<(String, Option<FlinkType>)> {
        cols.iter().find(|(name, _)| self.same_name(column, name, insensitive)).cloned()
    }

    /// True when an unqualified `name` is a column of the innermost scope (known columns only).
    pub fn is_scope_column(&self, name: &Ident) -> bool {
        self.scopes.last().is_some_and(|scope| {
            scope.relations.iter().any(|rel| {
                rel.columns.as_ref().is_some_and(|cols| cols.iter().any(|(n, _)| self.same_name(name, n, true)))
            })
        })
    }

    /// A table name as it should be printed, and its columns when known: a CTE in scope, else
    /// the schema context's table.
    pub fn lookup_table(&self, parts: &[Ident]) -> (Name, Option<Columns>) {
        let written: Name = parts.iter().map(|i| i.value.clone()).collect();
        if let [single] = parts {
            for insensitive in [false, true] {
                if let Some(cte) = self.ctes.iter().rev().find(|c| self.same_name(single, &c.name, insensitive)) {
                    return (vec![cte.name.clone()], cte.columns.clone());
                }
            }
        }
        let columns = self
            .schema
            .table_columns(&written)
            .map(|cols| cols.into_iter().map(|(n, t)| (n, Some(t))).collect::<Columns>());
        let printed = match (&columns, self.schema.table_name(&written)) {
            (Some(_), Some(name)) if name.len() == written.len() => {
                // Keep the user's spelling where it matches exactly or the dialect is sensitive.
                name.into_iter()
                    .zip(parts)
                    .map(|(actual, w)| if self.same_name(w, &actual, true) { actual } else { w.value.clone() })
                    .collect()
            }
            _ => written,
        };
        (printed, columns)
    }
}
