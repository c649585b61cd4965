//! Where a prepared statement's `?` placeholders stand, so that a `NULL` bound to one can be
//! given a type: Flink refuses an untyped `NULL` where it cannot derive one ("Illegal use of
//! 'NULL'": a `VALUES` row of an `INSERT`, a select item, an operand of `+`), but accepts it as an
//! operand of a comparison (`x = NULL`).

use std::collections::HashMap;

use super::ObjectName;
use super::words::{self, Spanned, Token};

/// What surrounds one placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// An item of a row of `INSERT INTO table [(columns)] VALUES (...)`: it takes that sink
    /// column's type.
    Sink { table: ObjectName, column: SinkColumn },
    /// An operand of a comparison (`=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`), where Flink types an
    /// untyped `NULL` from the other side.
    Comparison,
    /// Anywhere else.
    Other,
}

/// Which column of the sink a `VALUES` item fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkColumn {
    /// Named in the statement's column list.
    Named(String),
    /// The table's column at this position (no column list).
    At(usize),
}

/// The context of each placeholder of `sql`, in the order of `weir_dialects::lexer::placeholders`.
pub fn contexts(sql: &str) -> Vec<Placeholder> {
    let tokens = words::tokenize(sql);
    let sinks = sink_items(&tokens);
    weir_dialects::lexer::placeholders(sql)
        .into_iter()
        .map(|at| {
            let Some(i) = tokens.iter().position(|t| t.span.start == at) else { return Placeholder::Other };
            if let Some(p) = sinks.get(&i) {
                return p.clone();
            }
            let comparison = |t: Option<&Spanned>| t.is_some_and(|t| matches!(t.token, Token::Punct('=' | '<' | '>')));
            if comparison(i.checked_sub(1).and_then(|j| tokens.get(j))) || comparison(tokens.get(i + 1)) {
                Placeholder::Comparison
            } else {
                Placeholder::Other
            }
        })
        .collect()
}

/// The placeholders (by token index) that are whole items of an `INSERT … VALUES` row.
fn sink_items(tokens: &[Spanned]) -> HashMap<usize, Placeholder> {
    let mut out = HashMap::new();
    if !tokens.first().is_some_and(|t| t.is_keyword("INSERT")) {
        return out;
    }
    let Some(into) = tokens.iter().take(4).position(|t| t.is_keyword("INTO") || t.is_keyword("OVERWRITE")) else { return out };
    let at = if tokens.get(into + 1).is_some_and(|t| t.is_keyword("INTO")) { into + 2 } else { into + 1 };
    let (table, mut i) = words::name_at(tokens, at);
    if table.is_empty() {
        return out;
    }
    if tokens.get(i).is_some_and(|t| t.is_keyword("PARTITION")) {
        i = match closing(tokens, i + 1) {
            Some(end) => end + 1,
            None => return out,
        };
    }
    let mut columns = None;
    if tokens.get(i).is_some_and(|t| t.token == Token::LParen) {
        let Some(end) = closing(tokens, i) else { return out };
        columns = Some(tokens[i + 1..end].iter().filter_map(|t| t.ident().map(str::to_string)).collect::<Vec<_>>());
        i = end + 1;
    }
    if !tokens.get(i).is_some_and(|t| t.is_keyword("VALUES")) {
        return out;
    }
    i += 1;
    // Rows: `(item, ...)` separated by commas.
    while tokens.get(i).is_some_and(|t| t.token == Token::LParen) {
        let Some(end) = closing(tokens, i) else { return out };
        let mut position = 0;
        let mut start = i + 1;
        let mut depth = 0usize;
        for j in i + 1..=end {
            match &tokens[j].token {
                Token::LParen => depth += 1,
                Token::RParen if depth > 0 => depth -= 1,
                Token::Punct(',') | Token::RParen if depth == 0 => {
                    if j == start + 1 && tokens[start].is_punct('?') {
                        let column = match &columns {
                            Some(names) => match names.get(position) {
                                Some(n) => SinkColumn::Named(n.clone()),
                                None => break,
                            },
                            None => SinkColumn::At(position),
                        };
                        out.insert(start, Placeholder::Sink { table: table.clone(), column });
                    }
                    position += 1;
                    start = j + 1;
                }
                _ => {}
            }
        }
        i = end + 1;
        if tokens.get(i).is_some_and(|t| t.is_punct(',')) {
            i += 1;
        }
    }
    out
}

/// The index of the `)` closing the `(` at `open`.
fn closing(tokens: &[Spanned], open: usize) -> Option<usize> {
    if tokens.get(open)?.token != Token::LParen {
        return None;
    }
    let mut depth = 0usize;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink(table: &str, column: SinkColumn) -> Placeholder {
        Placeholder::Sink { table: table.split('.').map(str::to_string).collect(), column }
    }

    #[test]
    fn values_items_take_their_sink_columns() {
        assert_eq!(
            contexts("INSERT INTO t VALUES (?, ?), (1, ?)"),
            vec![sink("t", SinkColumn::At(0)), sink("t", SinkColumn::At(1)), sink("t", SinkColumn::At(1))]
        );
        assert_eq!(
            contexts("insert into db.t (b, `a`) values (?, CAST(? AS INT))"),
            vec![sink("db.t", SinkColumn::Named("b".into())), Placeholder::Other]
        );
        assert_eq!(contexts("INSERT OVERWRITE t PARTITION (p = 'x') VALUES (?)"), vec![sink("t", SinkColumn::At(0))]);
        assert_eq!(contexts("INSERT INTO t SELECT ?, a FROM s WHERE a = ?"), vec![Placeholder::Other, Placeholder::Comparison]);
    }

    #[test]
    fn comparisons_and_the_rest() {
        assert_eq!(
            contexts("SELECT ?, a + ? FROM t WHERE a = ? AND b <> ? OR ? >= c AND s LIKE ? -- ?\n AND x = '?'"),
            vec![Placeholder::Other, Placeholder::Other, Placeholder::Comparison, Placeholder::Comparison, Placeholder::Comparison, Placeholder::Other]
        );
    }
}
