//! `SHOW CONNECTORS [LIKE 'pattern']`: each cluster's connector set (the pattern matches the
//! connector's name).

use super::{Extended, Parser};
use crate::statement::SyntaxError;

/// After `SHOW CONNECTORS`.
pub fn parse(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let like = if p.keywords(&["LIKE"]) { Some(p.string("a LIKE pattern")?) } else { None };
    p.end("LIKE 'pattern' or the end of SHOW CONNECTORS")?;
    Ok(Some(Extended::ShowConnectors { like }))
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    #[test]
    fn show_connectors() {
        assert_eq!(parse_text("SHOW CONNECTORS"), Ok(Some(Extended::ShowConnectors { like: None })));
        assert_eq!(parse_text("show connectors like 'mysql%';"), Ok(Some(Extended::ShowConnectors { like: Some("mysql%".into()) })));
        let e = parse_text("SHOW CONNECTORS FROM x").unwrap_err();
        assert_eq!((e.column, e.message.as_str()), (17, "expected LIKE 'pattern' or the end of SHOW CONNECTORS"));
    }
}
