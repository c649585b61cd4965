//! The recorded lineage of every job, view, datasync and statement as one graph (petgraph):
//! tables are nodes, each recorded table edge an edge. Walks go upstream or downstream to a
//! depth, at table or column level; [`LineageGraph::dependencies`] tells which of a set of jobs
//! read what others write (through views, transitively), the edges of a schedule's DAG.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use petgraph::Direction as PgDirection;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

/// What recorded an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViaKind {
    Job,
    View,
    Datasync,
    /// A statement run outside a managed job (an INSERT, a CTAS).
    Statement,
}

impl ViaKind {
    pub const ALL: [ViaKind; 4] = [ViaKind::Job, ViaKind::View, ViaKind::Datasync, ViaKind::Statement];

    pub fn as_str(self) -> &'static str {
        match self {
            ViaKind::Job => "JOB",
            ViaKind::View => "VIEW",
            ViaKind::Datasync => "DATASYNC",
            ViaKind::Statement => "STATEMENT",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The kind of an edge that could not be resolved (its `from` is unknown).
pub const UNRESOLVED: &str = "UNRESOLVED";

/// One recorded edge: table level when both columns are `None`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Recorded {
    pub via_kind: ViaKind,
    pub via: String,
    /// The job's version (0 for what has none).
    pub version: u32,
    /// Empty for an unresolved column edge.
    pub from_table: String,
    pub from_column: Option<String>,
    pub to_table: String,
    pub to_column: Option<String>,
    /// Table level: `INSERT`, `CTAS`, `VIEW`, `DATASYNC`; column level: `COPY`, `TRANSFORM`,
    /// `AGGREGATE`, or [`UNRESOLVED`].
    pub kind: String,
    /// Why an edge is unresolved.
    pub detail: String,
}

impl Recorded {
    pub fn is_table(&self) -> bool {
        self.from_column.is_none() && self.to_column.is_none() && self.kind != UNRESOLVED
    }

    pub fn is_column(&self) -> bool {
        self.from_column.is_some() && self.to_column.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Upstream,
    Downstream,
    Both,
}

/// One edge reached by a walk, at its distance from where the walk started (1: adjacent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached<'a> {
    pub depth: u32,
    pub edge: &'a Recorded,
}

pub struct LineageGraph {
    records: Vec<Recorded>,
    graph: DiGraph<String, usize>,
    nodes: HashMap<String, NodeIndex>,
    /// Column edges by their `from` and by their `to`.
    by_from: HashMap<(String, String), Vec<usize>>,
    by_to: HashMap<(String, String), Vec<usize>>,
}

impl LineageGraph {
    /// The graph of `records`, keeping only the newest version of each job's lineage.
    pub fn new(records: Vec<Recorded>) -> Self {
        let mut newest: HashMap<(ViaKind, String), u32> = HashMap::new();
        for r in &records {
            let v = newest.entry((r.via_kind, r.via.clone())).or_insert(r.version);
            *v = (*v).max(r.version);
        }
        let records: Vec<Recorded> = records.into_iter().filter(|r| newest.get(&(r.via_kind, r.via.clone())) == Some(&r.version)).collect();
        let mut g = Self { records: Vec::new(), graph: DiGraph::new(), nodes: HashMap::new(), by_from: HashMap::new(), by_to: HashMap::new() };
        for (i, r) in records.iter().enumerate() {
            if r.is_table() {
                let a = g.node(&r.from_table);
                let b = g.node(&r.to_table);
                g.graph.add_edge(a, b, i);
            } else if let (Some(fc), Some(tc)) = (&r.from_column, &r.to_column) {
                g.by_from.entry((r.from_table.clone(), fc.clone())).or_default().push(i);
                g.by_to.entry((r.to_table.clone(), tc.clone())).or_default().push(i);
            }
        }
        g.records = records;
        g
    }

    fn node(&mut self, table: &str) -> NodeIndex {
        if let Some(n) = self.nodes.get(table) {
            return *n;
        }
        let n = self.graph.add_node(table.to_string());
        self.nodes.insert(table.to_string(), n);
        n
    }

    /// Every record kept (the newest version of each).
    pub fn records(&self) -> &[Recorded] {
        &self.records
    }

    /// Whether the graph knows the table (as a source or a target).
    pub fn knows(&self, table: &str) -> bool {
        self.nodes.contains_key(table)
    }

    /// The edges reached from `table` (or its `column`) going `direction`, breadth first, up to
    /// `depth` edges away (all when `None`); each edge once, at its shortest distance.
    pub fn walk(&self, table: &str, column: Option<&str>, direction: Direction, depth: Option<u32>) -> Vec<Reached<'_>> {
        let dirs: &[PgDirection] = match direction {
            Direction::Upstream => &[PgDirection::Incoming],
            Direction::Downstream => &[PgDirection::Outgoing],
            Direction::Both => &[PgDirection::Incoming, PgDirection::Outgoing],
        };
        let mut out = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        for dir in dirs {
            match column {
                None => self.walk_tables(table, *dir, depth, &mut seen, &mut out),
                Some(c) => self.walk_columns(table, c, *dir, depth, &mut seen, &mut out),
            }
        }
        out
    }

    fn walk_tables<'a>(&'a self, table: &str, dir: PgDirection, depth: Option<u32>, seen: &mut HashSet<usize>, out: &mut Vec<Reached<'a>>) {
        let Some(start) = self.nodes.get(table) else { return };
        let mut visited: HashSet<NodeIndex> = HashSet::from([*start]);
        let mut queue = VecDeque::from([(*start, 0u32)]);
        while let Some((n, d)) = queue.pop_front() {
            if depth.is_some_and(|max| d >= max) {
                continue;
            }
            for e in self.graph.edges_directed(n, dir) {
                let i = *e.weight();
                if seen.insert(i)
                    && let Some(r) = self.records.get(i)
                {
                    out.push(Reached { depth: d + 1, edge: r });
                }
                let next = if dir == PgDirection::Outgoing { e.target() } else { e.source() };
                if visited.insert(next) {
                    queue.push_back((next, d + 1));
                }
            }
        }
    }

    fn walk_columns<'a>(&'a self, table: &str, column: &str, dir: PgDirection, depth: Option<u32>, seen: &mut HashSet<usize>, out: &mut Vec<Reached<'a>>) {
        let index = if dir == PgDirection::Outgoing { &self.by_from } else { &self.by_to };
        let start = (table.to_string(), column.to_string());
        let mut visited: HashSet<(String, String)> = HashSet::from([start.clone()]);
        let mut queue = VecDeque::from([(start, 0u32)]);
        while let Some((key, d)) = queue.pop_front() {
            if depth.is_some_and(|max| d >= max) {
                continue;
            }
            for i in index.get(&key).into_iter().flatten() {
                let Some(r) = self.records.get(*i) else { continue };
                if seen.insert(*i) {
                    out.push(Reached { depth: d + 1, edge: r });
                }
                let next = if dir == PgDirection::Outgoing {
                    (r.to_table.clone(), r.to_column.clone().unwrap_or_default())
                } else {
                    (r.from_table.clone(), r.from_column.clone().unwrap_or_default())
                };
                if visited.insert(next.clone()) {
                    queue.push_back((next, d + 1));
                }
            }
        }
    }

    /// Who is affected by a change of `table` (or its `column`): every job, view, datasync and
    /// statement downstream, with the table it writes, transitively.
    pub fn impact(&self, table: &str, column: Option<&str>) -> Vec<(ViaKind, String, String)> {
        let mut out: BTreeSet<(ViaKind, String, String)> = BTreeSet::new();
        for r in self.walk(table, column, Direction::Downstream, None) {
            out.insert((r.edge.via_kind, r.edge.via.clone(), r.edge.to_table.clone()));
        }
        out.into_iter().collect()
    }

    /// The tables a via reads, a view read standing for the tables it reads (transitively).
    fn reads_through_views(&self, kind: ViaKind, via: &str) -> BTreeSet<String> {
        let views: HashMap<&str, Vec<&str>> = self.records.iter().filter(|r| r.is_table() && r.via_kind == ViaKind::View).fold(HashMap::new(), |mut m, r| {
            m.entry(r.to_table.as_str()).or_insert_with(Vec::new).push(r.from_table.as_str());
            m
        });
        let mut out = BTreeSet::new();
        let mut queue: VecDeque<String> = self.records.iter().filter(|r| r.is_table() && r.via_kind == kind && r.via == via).map(|r| r.from_table.clone()).collect();
        while let Some(t) = queue.pop_front() {
            if !out.insert(t.clone()) {
                continue;
            }
            for from in views.get(t.as_str()).into_iter().flatten() {
                queue.push_back(from.to_string());
            }
        }
        out
    }

    fn writes(&self, kind: ViaKind, via: &str) -> BTreeSet<String> {
        self.records.iter().filter(|r| r.is_table() && r.via_kind == kind && r.via == via).map(|r| r.to_table.clone()).collect()
    }

    /// Among `jobs`, each (writer, reader, table): the reader reads (directly or through views)
    /// a table the writer writes.
    pub fn dependencies(&self, jobs: &[String]) -> Vec<(String, String, String)> {
        let writes: Vec<BTreeSet<String>> = jobs.iter().map(|j| self.writes(ViaKind::Job, j)).collect();
        let mut out = Vec::new();
        for (b, reader) in jobs.iter().enumerate() {
            let reads = self.reads_through_views(ViaKind::Job, reader);
            for (a, writer) in jobs.iter().enumerate() {
                if a == b {
                    continue;
                }
                if let Some(w) = writes.get(a) {
                    for t in w.intersection(&reads) {
                        out.push((writer.clone(), reader.clone(), t.clone()));
                    }
                }
            }
        }
        out
    }

    /// The jobs that read `table` directly or through views.
    pub fn readers(&self, table: &str) -> BTreeSet<String> {
        let jobs: BTreeSet<&str> = self.records.iter().filter(|r| r.via_kind == ViaKind::Job).map(|r| r.via.as_str()).collect();
        jobs.into_iter().filter(|j| self.reads_through_views(ViaKind::Job, j).contains(table)).map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(via_kind: ViaKind, via: &str, version: u32, from: &str, to: &str) -> Recorded {
        Recorded { via_kind, via: via.into(), version, from_table: from.into(), from_column: None, to_table: to.into(), to_column: None, kind: "INSERT".into(), detail: String::new() }
    }

    fn c(via: &str, from: (&str, &str), to: (&str, &str)) -> Recorded {
        Recorded {
            via_kind: ViaKind::Job,
            via: via.into(),
            version: 1,
            from_table: from.0.into(),
            from_column: Some(from.1.into()),
            to_table: to.0.into(),
            to_column: Some(to.1.into()),
            kind: "COPY".into(),
            detail: String::new(),
        }
    }

    #[test]
    fn walks_go_to_the_depth_asked_and_keep_only_the_newest_version() {
        let g = LineageGraph::new(vec![
            t(ViaKind::Job, "j1", 1, "a", "old"),
            t(ViaKind::Job, "j1", 2, "a", "b"),
            t(ViaKind::View, "v", 0, "b", "v"),
            t(ViaKind::Job, "j2", 1, "v", "c"),
        ]);
        let down: Vec<(u32, &str)> = g.walk("a", None, Direction::Downstream, None).iter().map(|r| (r.depth, r.edge.to_table.as_str())).collect();
        assert_eq!(down, vec![(1, "b"), (2, "v"), (3, "c")]);
        assert_eq!(g.walk("a", None, Direction::Downstream, Some(2)).len(), 2);
        let up: Vec<&str> = g.walk("c", None, Direction::Upstream, None).iter().map(|r| r.edge.from_table.as_str()).collect();
        assert_eq!(up, vec!["v", "b", "a"]);
        assert!(!g.knows("old"));
        assert_eq!(g.impact("b", None).iter().map(|(_, v, _)| v.as_str()).collect::<Vec<_>>(), vec!["j2", "v"]);
        assert_eq!(g.dependencies(&["j2".into(), "j1".into()]), vec![("j1".to_string(), "j2".to_string(), "b".to_string())]);
        assert_eq!(g.readers("b"), BTreeSet::from(["j2".to_string()]));
    }

    #[test]
    fn column_walks_follow_columns_only() {
        let g = LineageGraph::new(vec![c("j", ("a", "x"), ("b", "x")), c("j", ("a", "y"), ("b", "z")), c("k", ("b", "x"), ("c", "w"))]);
        let down: Vec<String> = g.walk("a", Some("x"), Direction::Downstream, None).iter().map(|r| format!("{}.{}", r.edge.to_table, r.edge.to_column.clone().unwrap_or_default())).collect();
        assert_eq!(down, vec!["b.x", "c.w"]);
        assert_eq!(g.walk("c", Some("w"), Direction::Upstream, Some(1)).len(), 1);
        assert_eq!(g.impact("a", Some("y")), vec![(ViaKind::Job, "j".to_string(), "b".to_string())]);
    }
}
