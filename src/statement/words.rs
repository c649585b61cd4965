//! The words of a statement's text, the one tokenization every classification reads: identifiers
//! (plain, back-quoted or double-quoted), string literals, dots, parentheses and everything else
//! as punctuation, with comments skipped. Flink's lexical rules, which MySQL's statements of
//! interest share: `'...'` strings (`''` escapes a quote), `` `...` `` identifiers (` `` `
//! escapes), `--` and `/* */` comments. Spans are byte ranges of the statement's text.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An unquoted word (keyword or identifier), as written.
    Word(String),
    /// A back-quoted identifier, unescaped.
    Quoted(String),
    /// A double-quoted text, unescaped: an identifier to Flink, a string to MySQL.
    DoubleQuoted(String),
    /// A string literal, unescaped.
    Str(String),
    Dot,
    LParen,
    RParen,
    /// Any other character outside words, strings and comments.
    Punct(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    pub token: Token,
    /// Byte range in the text.
    pub span: Range<usize>,
}

impl Spanned {
    /// The upper-cased word, when the token is an unquoted word.
    pub fn keyword(&self) -> Option<String> {
        match &self.token {
            Token::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        }
    }

    pub fn is_keyword(&self, k: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.eq_ignore_ascii_case(k))
    }

    /// The identifier the token names (a word or a quoted identifier).
    pub fn ident(&self) -> Option<&str> {
        match &self.token {
            Token::Word(w) | Token::Quoted(w) | Token::DoubleQuoted(w) => Some(w),
            _ => None,
        }
    }

    /// The string a literal holds (`'...'`, or MySQL's `"..."`).
    pub fn string(&self) -> Option<&str> {
        match &self.token {
            Token::Str(s) | Token::DoubleQuoted(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.token == Token::Punct(c)
    }
}

/// The tokens of `sql`.
pub fn tokenize(sql: &str) -> Vec<Spanned> {
    tokenize_from(sql, 0)
}

/// The tokens of `sql[start..]`, with spans in `sql`.
pub fn tokenize_from(sql: &str, start: usize) -> Vec<Spanned> {
    let mut tokens = lex(sql.get(start..).unwrap_or(""));
    if start > 0 {
        for t in &mut tokens {
            t.span = t.span.start + start..t.span.end + start;
        }
    }
    tokens
}

fn lex(sql: &str) -> Vec<Spanned> {
    let chars: Vec<(usize, char)> = sql.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map(|c| c.0).unwrap_or(sql.len());
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let next = chars.get(i + 1).map(|c| c.1);
        match c {
            '-' if next == Some('-') => {
                while i < chars.len() && chars[i].1 != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                while i < chars.len() && !(chars[i].1 == '*' && chars.get(i + 1).map(|c| c.1) == Some('/')) {
                    i += 1;
                }
                i += 2;
            }
            '\'' | '`' | '"' => {
                let quote = c;
                let mut text = String::new();
                i += 1;
                while i < chars.len() {
                    if chars[i].1 == quote {
                        if chars.get(i + 1).map(|c| c.1) == Some(quote) {
                            text.push(quote);
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    text.push(chars[i].1);
                    i += 1;
                }
                i += 1;
                let token = match quote {
                    '\'' => Token::Str(text),
                    '"' => Token::DoubleQuoted(text),
                    _ => Token::Quoted(text),
                };
                out.push(Spanned { token, span: start..end_of(i) });
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut j = i;
                while j < chars.len() && (chars[j].1.is_alphanumeric() || chars[j].1 == '_' || chars[j].1 == '$') {
                    j += 1;
                }
                out.push(Spanned { token: Token::Word(sql[start..end_of(j)].to_string()), span: start..end_of(j) });
                i = j;
            }
            c if c.is_whitespace() => i += 1,
            c => {
                let token = match c {
                    '.' => Token::Dot,
                    '(' => Token::LParen,
                    ')' => Token::RParen,
                    other => Token::Punct(other),
                };
                out.push(Spanned { token, span: start..end_of(i + 1) });
                i += 1;
            }
        }
    }
    out
}

/// The dotted names in a token list (`a`, `a.b`, `` `c`.`d`.`t` ``), each with the index of its
/// first token and the index after its last.
pub fn names(tokens: &[Spanned]) -> Vec<(Vec<String>, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].ident().is_none() || (i > 0 && tokens[i - 1].token == Token::Dot) {
            i += 1;
            continue;
        }
        let (name, end) = name_at(tokens, i);
        out.push((name, i..end));
        i = end;
    }
    out
}

/// The dotted name starting at token `i` and the index after it.
pub fn name_at(tokens: &[Spanned], i: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    let mut j = i;
    while let Some(id) = tokens.get(j).and_then(Spanned::ident) {
        parts.push(id.to_string());
        if tokens.get(j + 1).map(|t| &t.token) == Some(&Token::Dot) && tokens.get(j + 2).and_then(Spanned::ident).is_some() {
            j += 2;
        } else {
            j += 1;
            break;
        }
    }
    (parts, j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_quotes_and_comments() {
        let t = tokenize("SELECT `a``b`.c, 'x''y' -- no\n FROM /* t */ d.e");
        let shown: Vec<_> = t.iter().map(|s| s.token.clone()).collect();
        assert_eq!(
            shown,
            vec![
                Token::Word("SELECT".into()),
                Token::Quoted("a`b".into()),
                Token::Dot,
                Token::Word("c".into()),
                Token::Punct(','),
                Token::Str("x'y".into()),
                Token::Word("FROM".into()),
                Token::Word("d".into()),
                Token::Dot,
                Token::Word("e".into()),
            ]
        );
        let n: Vec<_> = names(&t).into_iter().map(|(n, _)| n.join(".")).collect();
        assert_eq!(n, vec!["SELECT", "a`b.c", "FROM", "d.e"]);
    }

    #[test]
    fn spans_cover_quoted_names() {
        let sql = "CREATE TABLE `c`.`d`.`t` (x INT)";
        let t = tokenize(sql);
        let (name, end) = name_at(&t, 2);
        assert_eq!(name, vec!["c", "d", "t"]);
        assert_eq!(&sql[t[2].span.start..t[end - 1].span.end], "`c`.`d`.`t`");
    }
}
