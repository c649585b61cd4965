//! `SHOW FLINK CLUSTERS [LIKE 'pattern']`.

use super::{Extended, Parser};
use crate::statement::SyntaxError;

/// After `SHOW FLINK`.
pub fn parse(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    p.expect(&["CLUSTERS"])?;
    let like = if p.keywords(&["LIKE"]) { Some(p.string("a LIKE pattern")?) } else { None };
    p.end("LIKE 'pattern' or the end of SHOW FLINK CLUSTERS")?;
    Ok(Some(Extended::ShowFlinkClusters { like }))
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    #[test]
    fn show_flink_clusters() {
        assert_eq!(parse_text("SHOW FLINK CLUSTERS"), Ok(Some(Extended::ShowFlinkClusters { like: None })));
        assert_eq!(parse_text("show flink clusters like 'loc%';"), Ok(Some(Extended::ShowFlinkClusters { like: Some("loc%".into()) })));
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let e = parse_text("SHOW FLINK CLUSTERS extra").unwrap_err();
        assert_eq!((e.line, e.column, e.near.as_str()), (1, 21, "extra"));
        let e = parse_text("SHOW FLINK CLUSTER").unwrap_err();
        assert_eq!((e.column, e.message.as_str()), (12, "expected CLUSTERS"));
        let e = parse_text("SHOW FLINK CLUSTERS LIKE loc").unwrap_err();
        assert_eq!((e.column, e.message.as_str()), (26, "expected a LIKE pattern as a quoted string"));
    }
}
