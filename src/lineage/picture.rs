//! The recorded lineage as a picture a person can read: a left-to-right layered drawing (sources
//! on the left, what they feed to the right), as Graphviz DOT or as a self-contained SVG.
//!
//! The layout is a small Sugiyama-style one: each node's layer is the longest path that reaches
//! it (edges that would close a cycle are drawn backwards, never followed), nodes are ordered in
//! their layer by the mean position of their neighbours (a few sweeps down and up), and each edge
//! is a curve from the right side of its source to the left side of its target, labelled with
//! the job, view or datasync that carries it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use super::graph::{Direction, LineageGraph, Recorded, ViaKind};

/// What to draw: everything recorded at table level, or what reaches one table (or one of its
/// columns), upstream and downstream.
#[derive(Debug, Clone, Default)]
pub struct Focus {
    pub table: Option<String>,
    pub column: Option<String>,
}

/// The nodes and edges of a picture, laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// Each node's label (a table, or `table.column`), layer and rank in its layer.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub label: String,
    pub layer: usize,
    pub rank: usize,
    /// The table (or column) the picture was asked about.
    pub focus: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// `job j`, `datasync d`, `view`, `statement`.
    pub via: String,
    /// `INSERT`, `CTAS`, `VIEW`, `DATASYNC`, `COPY`, `TRANSFORM`, `AGGREGATE`.
    pub kind: String,
}

/// Lays out the lineage `focus` asks for; `None` when the focus table is not in the lineage.
pub fn picture(graph: &LineageGraph, focus: &Focus) -> Option<Picture> {
    let records: Vec<&Recorded> = match &focus.table {
        None => graph.records().iter().filter(|r| r.is_table()).collect(),
        Some(t) => {
            if !graph.knows(t) && focus.column.is_none() {
                return None;
            }
            graph.walk(t, focus.column.as_deref(), Direction::Both, None).into_iter().map(|r| r.edge).filter(|r| r.is_table() || r.is_column()).collect()
        }
    };
    let focus_label = focus.table.as_ref().map(|t| label(t, focus.column.as_deref()));
    if records.is_empty() && focus_label.is_some() && focus.column.is_some() {
        return None;
    }
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut labels: Vec<String> = Vec::new();
    let mut id = |name: String, labels: &mut Vec<String>| -> usize {
        *index.entry(name.clone()).or_insert_with(|| {
            labels.push(name);
            labels.len() - 1
        })
    };
    if let Some(f) = &focus_label {
        id(f.clone(), &mut labels);
    }
    let mut edges: Vec<Edge> = Vec::new();
    let mut seen: BTreeSet<(usize, usize, String)> = BTreeSet::new();
    for r in records {
        let from = id(label(&r.from_table, r.from_column.as_deref()), &mut labels);
        let to = id(label(&r.to_table, r.to_column.as_deref()), &mut labels);
        let via = via(r);
        if seen.insert((from, to, via.clone())) {
            edges.push(Edge { from, to, via, kind: r.kind.clone() });
        }
    }
    let layers = layers(labels.len(), &edges);
    let ranks = ranks(&layers, &edges);
    let nodes = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| Node { focus: focus_label.as_deref() == Some(label.as_str()), label, layer: layers[i], rank: ranks[i] })
        .collect();
    Some(Picture { nodes, edges })
}

fn label(table: &str, column: Option<&str>) -> String {
    match column {
        Some(c) => format!("{table}.{c}"),
        None => table.to_string(),
    }
}

/// What carries an edge, as its label says it: a view's edges end at the view itself, and a
/// statement outside a job has no name.
fn via(r: &Recorded) -> String {
    match r.via_kind {
        ViaKind::Statement => "statement".to_string(),
        ViaKind::View => "view".to_string(),
        kind => format!("{} {}", kind.as_str().to_ascii_lowercase(), r.via),
    }
}

/// Each node's layer: the longest path reaching it over the edges that do not close a cycle.
fn layers(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        if e.from != e.to {
            out[e.from].push(i);
        }
    }
    // Depth-first from every node, in order: an edge to a node still on the stack closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; n];
    let mut forward = vec![false; edges.len()];
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Open;
        while let Some((v, next)) = stack.last().copied() {
            match out[v].get(next) {
                Some(&i) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    let w = edges[i].to;
                    match mark[w] {
                        Mark::Open => {}
                        Mark::Done => forward[i] = true,
                        Mark::New => {
                            forward[i] = true;
                            mark[w] = Mark::Open;
                            stack.push((w, 0));
                        }
                    }
                }
                None => {
                    mark[v] = Mark::Done;
                    stack.pop();
                }
            }
        }
    }
    // Longest path over the forward edges (a DAG): relax in as many rounds as there are nodes.
    let mut layer = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for (i, e) in edges.iter().enumerate() {
            if forward[i] && layer[e.to] < layer[e.from] + 1 {
                layer[e.to] = layer[e.from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    layer
}

/// Each node's rank in its layer: by name first, then by the mean rank of its neighbours in the
/// layers beside it, sweeping right and then left a few times.
fn ranks(layers: &[usize], edges: &[Edge]) -> Vec<usize> {
    let n = layers.len();
    let depth = layers.iter().copied().max().map_or(0, |m| m + 1);
    let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (v, l) in layers.iter().enumerate() {
        by_layer[*l].push(v);
    }
    let mut rank = vec![0usize; n];
    let set = |by_layer: &Vec<Vec<usize>>, rank: &mut Vec<usize>| {
        for layer in by_layer {
            for (r, v) in layer.iter().enumerate() {
                rank[*v] = r;
            }
        }
    };
    set(&by_layer, &mut rank);
    let mut neighbours: HashMap<usize, Vec<usize>> = HashMap::new();
    for e in edges {
        if layers[e.from] != layers[e.to] {
            neighbours.entry(e.from).or_default().push(e.to);
            neighbours.entry(e.to).or_default().push(e.from);
        }
    }
    for sweep in 0..4 {
        let order: Vec<usize> = if sweep % 2 == 0 { (1..depth).collect() } else { (0..depth.saturating_sub(1)).rev().collect() };
        for l in order {
            let side = if sweep % 2 == 0 { l.wrapping_sub(1) } else { l + 1 };
            let key = |v: usize| -> (u64, usize) {
                let near: Vec<usize> = neighbours.get(&v).into_iter().flatten().copied().filter(|w| layers[*w] == side).collect();
                // Scaled mean (a node with no neighbour there keeps its place).
                let mean = if near.is_empty() { rank[v] as u64 * 1000 } else { near.iter().map(|w| rank[*w] as u64 * 1000).sum::<u64>() / near.len() as u64 };
                (mean, rank[v])
            };
            let mut layer = std::mem::take(&mut by_layer[l]);
            layer.sort_by_key(|v| key(*v));
            by_layer[l] = layer;
            set(&by_layer, &mut rank);
        }
    }
    rank
}

impl Picture {
    /// Graphviz DOT, left to right.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph lineage {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let style = if n.focus { ", style=\"rounded,bold\", color=\"#c0392b\"" } else { "" };
            let _ = writeln!(out, "  n{i} [label={}{style}];", dot_quoted(&n.label));
        }
        for e in &self.edges {
            let _ = writeln!(out, "  n{} -> n{} [label={}];", e.from, e.to, dot_quoted(&format!("{} ({})", e.via, e.kind)));
        }
        out.push_str("}\n");
        out
    }

    /// A self-contained SVG drawing.
    pub fn to_svg(&self) -> String {
        const CHAR_W: usize = 7;
        const BOX_H: usize = 28;
        const ROW: usize = 56;
        const GAP: usize = 150;
        const MARGIN: usize = 20;
        let depth = self.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
        let mut widths = vec![0usize; depth];
        let mut rows = 0usize;
        for n in &self.nodes {
            widths[n.layer] = widths[n.layer].max(n.label.chars().count() * CHAR_W + 20);
            rows = rows.max(n.rank + 1);
        }
        let mut x_of_layer = vec![MARGIN; depth];
        for l in 1..depth {
            x_of_layer[l] = x_of_layer[l - 1] + widths[l - 1] + GAP;
        }
        let width = x_of_layer.last().copied().unwrap_or(MARGIN) + widths.last().copied().unwrap_or(0) + MARGIN;
        let height = rows * ROW + 2 * MARGIN;
        let place = |n: &Node| -> (usize, usize, usize) { (x_of_layer[n.layer], MARGIN + n.rank * ROW, widths[n.layer]) };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">"
        );
        out.push_str("  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n");
        out.push_str("  <title>Weir lineage</title>\n");
        for e in &self.edges {
            let (Some(a), Some(b)) = (self.nodes.get(e.from), self.nodes.get(e.to)) else { continue };
            let (ax, ay, aw) = place(a);
            let (bx, by, bw) = place(b);
            let (x1, y1, x2, y2) = if e.from == e.to {
                (ax + aw, ay + BOX_H / 2, ax + aw, ay + BOX_H / 2 + 1)
            } else if a.layer < b.layer {
                (ax + aw, ay + BOX_H / 2, bx, by + BOX_H / 2)
            } else {
                // Against the layers (a cycle, or within one layer): from below the source to below the target.
                (ax + aw / 2, ay + BOX_H, bx + bw / 2, by + BOX_H)
            };
            let bend = if a.layer < b.layer { (x2.saturating_sub(x1)) / 2 } else { GAP / 2 };
            let path = if a.layer < b.layer {
                format!("M {x1} {y1} C {} {y1}, {} {y2}, {x2} {y2}", x1 + bend, x2.saturating_sub(bend))
            } else {
                format!("M {x1} {y1} C {x1} {}, {x2} {}, {x2} {y2}", y1 + bend, y2 + bend)
            };
            let colour = edge_colour(&e.kind);
            let _ = writeln!(out, "  <path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"><title>{}</title></path>", xml(&format!("{} ({})", e.via, e.kind)));
            let (mx, my) = ((x1 + x2) / 2, (y1 + y2) / 2);
            let _ = writeln!(out, "  <text x=\"{mx}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\" font-size=\"10\">{}</text>", my.saturating_sub(4), xml(&e.via));
        }
        for n in &self.nodes {
            let (x, y, w) = place(n);
            let (stroke, fill) = if n.focus { ("#c0392b", "#fdecea") } else { ("#2c3e50", "#eef3f8") };
            let _ = writeln!(out, "  <g><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>", x + w / 2, y + 18, xml(&n.label));
        }
        out.push_str("</svg>\n");
        out
    }
}

/// A table-level edge kind's colour (column edges share theirs by kind too).
fn edge_colour(kind: &str) -> &'static str {
    const COLOURS: &[(&str, &str)] = &[("INSERT", "#2e86c1"), ("CTAS", "#1e8449"), ("VIEW", "#7d3c98"), ("DATASYNC", "#ca6f1e"), ("AGGREGATE", "#b03a2e")];
    COLOURS.iter().find(|(k, _)| *k == kind).map_or("#555555", |(_, c)| c)
}

fn dot_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(via_kind: ViaKind, via: &str, from: &str, to: &str, kind: &str) -> Recorded {
        Recorded {
            via_kind,
            via: via.into(),
            version: 1,
            from_table: from.into(),
            from_column: None,
            to_table: to.into(),
            to_column: None,
            kind: kind.into(),
            detail: String::new(),
        }
    }

    fn shop() -> LineageGraph {
        LineageGraph::new(vec![
            table(ViaKind::Datasync, "mirror", "src.shop.orders", "lake.shop.orders", "DATASYNC"),
            table(ViaKind::Job, "daily", "lake.shop.orders", "lake.shop.daily", "INSERT"),
            table(ViaKind::Job, "daily", "lake.shop.customers", "lake.shop.daily", "INSERT"),
            table(ViaKind::View, "lake.shop.top", "lake.shop.daily", "lake.shop.top", "VIEW"),
            table(ViaKind::Job, "unrelated", "x.y.a", "x.y.b", "INSERT"),
        ])
    }

    fn node<'a>(p: &'a Picture, label: &str) -> &'a Node {
        p.nodes.iter().find(|n| n.label == label).unwrap_or_else(|| panic!("no node {label} in {p:?}"))
    }

    #[test]
    fn sources_are_left_of_what_they_feed() {
        let p = picture(&shop(), &Focus::default()).unwrap();
        assert_eq!(node(&p, "src.shop.orders").layer, 0);
        assert_eq!(node(&p, "lake.shop.orders").layer, 1);
        assert_eq!(node(&p, "lake.shop.customers").layer, 0);
        // The longest path decides: daily is fed from layer 1.
        assert_eq!(node(&p, "lake.shop.daily").layer, 2);
        assert_eq!(node(&p, "lake.shop.top").layer, 3);
        assert_eq!(p.edges.len(), 5);
        // No two nodes share a place.
        let places: BTreeSet<(usize, usize)> = p.nodes.iter().map(|n| (n.layer, n.rank)).collect();
        assert_eq!(places.len(), p.nodes.len());
    }

    #[test]
    fn a_focus_draws_only_what_reaches_the_table_and_marks_it() {
        let p = picture(&shop(), &Focus { table: Some("lake.shop.daily".into()), column: None }).unwrap();
        let labels: BTreeSet<&str> = p.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, BTreeSet::from(["src.shop.orders", "lake.shop.orders", "lake.shop.customers", "lake.shop.daily", "lake.shop.top"]));
        assert!(node(&p, "lake.shop.daily").focus);
        assert!(!node(&p, "lake.shop.top").focus);
        assert!(picture(&shop(), &Focus { table: Some("no.such.table".into()), column: None }).is_none());
    }

    #[test]
    fn a_cycle_is_drawn_without_looping_the_layout() {
        let g = LineageGraph::new(vec![
            table(ViaKind::Job, "a", "c.d.t1", "c.d.t2", "INSERT"),
            table(ViaKind::Job, "b", "c.d.t2", "c.d.t1", "INSERT"),
            table(ViaKind::Job, "c", "c.d.t2", "c.d.t2", "INSERT"),
        ]);
        let p = picture(&g, &Focus::default()).unwrap();
        assert_eq!(p.nodes.len(), 2);
        assert_eq!(p.edges.len(), 3);
        assert!(p.to_svg().contains("job b"));
    }

    #[test]
    fn dot_and_svg_name_every_table_and_carrier_and_escape_them() {
        let g = LineageGraph::new(vec![table(ViaKind::Job, "a<b>\"c\"", "c.d.\"x\"", "c.d.y&z", "INSERT")]);
        let p = picture(&g, &Focus::default()).unwrap();
        let dot = p.to_dot();
        assert!(dot.starts_with("digraph lineage {\n  rankdir=LR;"), "{dot}");
        assert!(dot.contains(r#"label="c.d.\"x\"""#), "{dot}");
        assert!(dot.contains("n0 -> n1"), "{dot}");
        let svg = p.to_svg();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
        assert!(svg.contains("c.d.y&amp;z") && svg.contains("job a&lt;b&gt;&quot;c&quot;"), "{svg}");
        assert!(!svg.contains("a<b>"), "{svg}");
    }
}
