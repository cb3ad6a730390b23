//! Static checks of the template set before Tera compiles it: loops of `include`, `extends`,
//! `import` and macro calls, and bounds on how deep and how wide they nest. Tera has none, so
//! each of these would exhaust the stack (an abort) or the memory.

use std::collections::BTreeMap;
use std::path::Path;

use super::limits::{MAX_MACRO_CALLS, MAX_TEMPLATE_NESTING};
use super::template_scan::{Scan, Site, Uses, scan};
use crate::diagnostics::{Diagnostic, Loc};

/// What renders: a template's body, or one of its macros.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Template(String),
    Macro(String, String),
}

impl Node {
    fn file(&self) -> &str {
        match self {
            Node::Template(t) | Node::Macro(t, _) => t,
        }
    }

    /// How a message names it.
    fn subject(&self) -> String {
        match self {
            Node::Template(t) => format!("templates/{t}"),
            Node::Macro(t, m) => format!("macro `{m}` in templates/{t}"),
        }
    }
}

/// A reference from one node to another: how (for messages), where, and at which depth.
#[derive(Debug, Clone)]
struct Edge {
    to: Node,
    label: String,
    at: (usize, usize),
    /// Blocks the reference sits in (for `extends`: the child's own deepest nesting).
    depth: usize,
    /// Whether following it renders the target (an `import` only makes macros known).
    renders: bool,
}

type Graph = BTreeMap<Node, Vec<Edge>>;

/// Checks every template; the first problem found, in name order, as a diagnostic.
pub fn check(sources: &BTreeMap<String, String>) -> Result<(), Diagnostic> {
    let mut scans = BTreeMap::new();
    for (name, src) in sources {
        scans.insert(name.clone(), scan(name, src)?);
    }
    let (graph, local) = graph(&scans);
    if let Some(cycle) = find_cycle(&graph) {
        return Err(cycle_error(&cycle));
    }
    if let Some(d) = too_many_renders(&graph) {
        return Err(d);
    }
    if let Some(chain) = too_deep(&graph, &local) {
        let what = format!(
            "templates nest more than {MAX_TEMPLATE_NESTING} levels deep (MAX_TEMPLATE_NESTING), counting blocks, includes and macro calls"
        );
        let d = chain_error(&chain, &what);
        return Err(Diagnostic { message: format!("{}, …", d.message), ..d }.with_help(
            "Tera recurses once per level: shorten the chain of includes, extends or macro calls, or flatten the blocks",
        ));
    }
    Ok(())
}

/// The graph of all templates and macros, and each node's own deepest block nesting.
fn graph(scans: &BTreeMap<String, Scan>) -> (Graph, BTreeMap<Node, usize>) {
    let mut graph = Graph::new();
    let mut local = BTreeMap::new();
    for (name, s) in scans {
        let node = |site: &Site| match &site.in_macro {
            Some(m) => Node::Macro(name.clone(), m.clone()),
            None => Node::Template(name.clone()),
        };
        local.insert(Node::Template(name.clone()), s.depth);
        for (m, depth) in &s.macro_depth {
            local.insert(Node::Macro(name.clone(), m.clone()), *depth);
            graph
                .entry(Node::Macro(name.clone(), m.clone()))
                .or_default();
        }
        graph.entry(Node::Template(name.clone())).or_default();
        for (uses, to, site) in s.refs.iter().filter(|r| scans.contains_key(&r.1)) {
            let depth = if *uses == Uses::Extends {
                s.depth
            } else {
                site.depth
            };
            let edge = Edge {
                to: Node::Template(to.clone()),
                label: format!("{} {to}", uses.verb()),
                at: site.at,
                depth,
                renders: *uses != Uses::Imports,
            };
            graph.entry(node(site)).or_default().push(edge);
        }
        for (ns, callee, site) in &s.calls {
            let target = if ns == "self" {
                Some(name)
            } else {
                s.aliases.get(ns)
            };
            let Some(target) = target.filter(|t| scans.contains_key(*t)) else {
                continue;
            };
            let edge = Edge {
                to: Node::Macro(target.clone(), callee.clone()),
                label: format!("calls {ns}::{callee} ({target})"),
                at: site.at,
                depth: site.depth,
                renders: true,
            };
            graph.entry(node(site)).or_default().push(edge);
        }
    }
    (graph, local)
}

/// `templates/a.html includes b.html, which includes a.html`, at the first tag of the loop.
fn chain_error(chain: &[(Node, Edge)], what: &str) -> Diagnostic {
    let (first, edge) = &chain[0];
    let path = Path::new("templates").join(first.file());
    let mut text = String::new();
    for (i, (_, e)) in chain.iter().enumerate() {
        text.push_str(if i == 0 { " " } else { ", which " });
        text.push_str(&e.label);
    }
    let message = format!("{what}: {}{text}", first.subject());
    Diagnostic::error(Some(Loc::new(path, edge.at.0, edge.at.1)), message)
}

/// A loop as a diagnostic: a template loop, or a recursive macro when a macro is in it.
fn cycle_error(cycle: &[(Node, Edge)]) -> Diagnostic {
    if cycle.iter().any(|(n, _)| matches!(n, Node::Macro(..))) {
        chain_error(cycle, "recursive macro").with_help(
            "Tera macros have no depth limit, so recursion can exhaust the stack; \
             write the levels out (one macro per level) or loop over flattened data",
        )
    } else {
        chain_error(cycle, "template loop").with_help(
            "a template may not include, extend or import itself, directly or through others; \
             move the shared part into a template that none of them includes back",
        )
    }
}

/// The nodes of an acyclic `graph`, each after every node its edges lead to (iteratively:
/// a long chain must not exhaust the stack here either).
fn post_order(graph: &Graph) -> Vec<&Node> {
    let mut done: std::collections::BTreeSet<&Node> = Default::default();
    let mut order = Vec::with_capacity(graph.len());
    for start in graph.keys() {
        let mut stack: Vec<(&Node, bool)> = vec![(start, false)];
        while let Some((node, expanded)) = stack.pop() {
            if done.contains(node) {
                continue;
            }
            if expanded {
                done.insert(node);
                order.push(node);
                continue;
            }
            stack.push((node, true));
            let edges = graph.get(node).map(Vec::as_slice).unwrap_or_default();
            let children = edges
                .iter()
                .map(|e| &e.to)
                .filter(|c| graph.contains_key(*c));
            stack.extend(children.map(|c| (c, false)));
        }
    }
    order
}

/// In an acyclic `graph`, a render path deeper than `MAX_TEMPLATE_NESTING` (blocks, plus one
/// per include, extends or macro call), if any: its first edges, enough to show where it starts.
fn too_deep(graph: &Graph, local: &BTreeMap<Node, usize>) -> Option<Vec<(Node, Edge)>> {
    // The deepest path from each node, and the edge it starts with.
    let mut deepest: BTreeMap<&Node, (usize, Option<usize>)> = BTreeMap::new();
    for node in post_order(graph) {
        let own = (local.get(node).copied().unwrap_or(0), None);
        let edges = graph.get(node).map(Vec::as_slice).unwrap_or_default();
        let best = edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.renders)
            .map(|(i, e)| (e.depth + 1 + deepest.get(&e.to).map_or(0, |d| d.0), Some(i)))
            .fold(own, |a, b| if b.0 > a.0 { b } else { a });
        deepest.insert(node, best);
    }
    let (mut node, _) = deepest.iter().find(|(_, d)| d.0 > MAX_TEMPLATE_NESTING)?;
    let mut chain = Vec::new();
    while let (Some((_, Some(i))), true) = (deepest.get(node), chain.len() < 3) {
        let edge = &graph[*node][*i];
        chain.push(((*node).clone(), edge.clone()));
        node = deepest.get_key_value(&edge.to)?.0;
    }
    Some(chain).filter(|c| !c.is_empty())
}

/// In an acyclic `graph`, a node whose rendering expands (call sites and includes counted,
/// loops not) into more than `MAX_MACRO_CALLS` renders: a few macros that each call the next
/// twice would otherwise build an output of 2^depth bytes in memory.
fn too_many_renders(graph: &Graph) -> Option<Diagnostic> {
    let mut renders: BTreeMap<&Node, u64> = BTreeMap::new();
    for node in post_order(graph) {
        let edges = graph.get(node).map(Vec::as_slice).unwrap_or_default();
        let n = edges.iter().filter(|e| e.renders).fold(1u64, |n, e| {
            n.saturating_add(renders.get(&e.to).copied().unwrap_or(1))
        });
        renders.insert(node, n);
        if n > MAX_MACRO_CALLS {
            let path = Path::new("templates").join(node.file());
            let at = edges.first().map_or((1, 1), |e| e.at);
            let message = format!(
                "{} expands into over {MAX_MACRO_CALLS} macro calls and includes (MAX_MACRO_CALLS)",
                node.subject()
            );
            return Some(
                Diagnostic::error(Some(Loc::new(path, at.0, at.1)), message).with_help(
                    "macros or templates that each call or include the next several times multiply; loop over data instead",
                ),
            );
        }
    }
    None
}

/// A cycle in `graph` (edges to unknown nodes are ignored), as the edges that form it,
/// starting from the node first re-entered; nodes and edges are visited in order.
fn find_cycle(graph: &Graph) -> Option<Vec<(Node, Edge)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&Node, Mark> = BTreeMap::new();
    for start in graph.keys() {
        if marks.contains_key(start) {
            continue;
        }
        // Iterative depth-first search: (node, index of the next edge to follow).
        let mut stack: Vec<(&Node, usize)> = vec![(start, 0)];
        marks.insert(start, Mark::Open);
        while let Some(top) = stack.last_mut() {
            let (node, next) = (top.0, top.1);
            top.1 += 1;
            let edges = graph.get(node).map(Vec::as_slice).unwrap_or_default();
            let Some(edge) = edges.get(next) else {
                marks.insert(node, Mark::Done);
                stack.pop();
                continue;
            };
            match marks.get(&edge.to) {
                Some(Mark::Done) => {}
                Some(Mark::Open) => {
                    let from = stack.iter().position(|(n, _)| *n == &edge.to)?;
                    let cycle = stack[from..]
                        .iter()
                        .map(|(n, i)| ((*n).clone(), graph[*n][*i - 1].clone()))
                        .collect();
                    return Some(cycle);
                }
                None if graph.contains_key(&edge.to) => {
                    marks.insert(&edge.to, Mark::Open);
                    stack.push((&edge.to, 0));
                }
                None => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[(&str, &str)]) -> Result<(), Diagnostic> {
        let sources = files
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        check(&sources)
    }

    #[test]
    fn self_include_is_located_at_its_tag() {
        let e = run(&[("a.html", "hi\n  {%- include 'a.html' -%}\n")]).unwrap_err();
        assert_eq!(
            e.to_string().split(": error").next(),
            Some("templates/a.html:2:3")
        );
        assert!(
            e.message.ends_with("templates/a.html includes a.html"),
            "{e}"
        );
        assert!(e.help.is_some());
    }

    #[test]
    fn extends_and_include_list_cycles_show_the_chain() {
        let e = run(&[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "{% extends \"a.html\" %}"),
        ])
        .unwrap_err();
        assert!(
            e.message
                .ends_with("templates/a.html extends b.html, which extends a.html"),
            "{e}"
        );
        let e = run(&[
            (
                "a.html",
                "x\n{% include [\"none.html\", \"b.html\"] ignore missing %}",
            ),
            ("b.html", "{% import 'c.html' as c %}"),
            ("c.html", "{% include `a.html` %}"),
        ])
        .unwrap_err();
        assert_eq!(e.loc.as_ref().map(|l| (l.line, l.col)), Some((2, 1)), "{e}");
        assert!(
            e.message
                .ends_with("a.html includes b.html, which imports c.html, which includes a.html"),
            "{e}"
        );
    }

    #[test]
    fn comments_raw_blocks_and_strings_are_not_tags() {
        run(&[(
            "a.html",
            "{# {% include 'a.html' %} #}{% raw %}{% include 'a.html' %}{% endraw %}\
             {{ \"{% include 'a.html' %}\" }}",
        )])
        .unwrap();
    }

    #[test]
    fn recursive_macros_are_found_directly_and_through_imports() {
        let e = run(&[(
            "m.html",
            "{% macro tree(n) %}{{ n }}{% if n %}\n{{ self::tree(n=n) }}{% endif %}{% endmacro %}",
        )])
        .unwrap_err();
        assert!(e.message.contains("recursive macro"), "{e}");
        assert_eq!(e.loc.as_ref().map(|l| (l.line, l.col)), Some((2, 4)), "{e}");
        let e = run(&[
            (
                "a.html",
                "{% import 'b.html' as b %}{% macro x() %}{{ b::y() }}{% endmacro %}",
            ),
            (
                "b.html",
                "{% import 'a.html' as a %}{% macro y() %}{{ a::x() }}{% endmacro %}",
            ),
        ]);
        // The imports alone already form a loop.
        assert!(e.unwrap_err().message.contains("imports"));
        let e = run(&[
            ("m.html", "{% macro x() %}{{ self::y() }}{% endmacro %}{% macro y() %}{{ self::x() }}{% endmacro %}"),
            ("p.html", "{% import 'm.html' as m %}{{ m::x() }}"),
        ])
        .unwrap_err();
        assert!(
            e.message
                .contains("calls self::y (m.html), which calls self::x (m.html)"),
            "{e}"
        );
    }

    #[test]
    fn depth_adds_up_across_includes_blocks_and_macros() {
        // 8 templates, each including the next inside 8 `if`s: 8 × 9 = 72 levels in all.
        let files: Vec<(String, String)> = (0..8)
            .map(|i| {
                let open = "{% if true %}".repeat(8);
                let close = "{% endif %}".repeat(8);
                (
                    format!("t{i}.html"),
                    format!("{open}{{% include 't{}.html' %}}{close}", i + 1),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let e = run(&files).unwrap_err();
        assert!(e.message.contains("nest more than"), "{e}");
        run(&files[..6]).unwrap();
    }

    #[test]
    fn a_macro_that_includes_a_template_that_calls_it_is_recursive() {
        let e = run(&[
            (
                "m.html",
                "{% macro x() %}{% include 'p.html' %}{% endmacro %}",
            ),
            ("p.html", "{% import 'm.html' as m %}{{ m::x() }}"),
        ])
        .unwrap_err();
        assert!(e.message.starts_with("recursive macro: "), "{e}");
        assert!(
            e.message
                .contains("p.html calls m::x (m.html), which includes p.html"),
            "{e}"
        );
    }

    #[test]
    fn the_built_in_templates_pass_and_non_recursive_macros_are_fine() {
        let builtin = include_str!("../../templates/macros.html");
        run(&[
            ("macros.html", builtin),
            (
                "p.html",
                "{% import 'macros.html' as m %}{{ m::state(state='x') }}",
            ),
        ])
        .unwrap();
    }

    #[test]
    fn nesting_and_literal_ranges_are_bounded() {
        let deep = "{% if a %}".repeat(MAX_TEMPLATE_NESTING + 1);
        let e = run(&[("a.html", &deep)]).unwrap_err();
        assert!(e.message.contains("MAX_TEMPLATE_NESTING"), "{e}");
        let parens = format!("{{{{ {}1{} }}}}", "(".repeat(100), ")".repeat(100));
        assert!(run(&[("a.html", &parens)]).is_err());
        let e = run(&[(
            "a.html",
            "\n {% for i in range(end=100000000) %}{% endfor %}",
        )])
        .unwrap_err();
        assert!(e.message.contains("MAX_RANGE_ITEMS"), "{e}");
        assert_eq!(
            e.loc.as_ref().map(|l| (l.line, l.col)),
            Some((2, 14)),
            "{e}"
        );
        run(&[(
            "a.html",
            "{% for i in range(start=5, end=20005, step_by=2) %}{% endfor %}",
        )])
        .unwrap();
        let e = run(&[(
            "a.html",
            "{% set_global s = 'x' %}{% for i in range(end=40) %}\n{% set_global s = s ~ s %}{% endfor %}",
        )])
        .unwrap_err();
        assert_eq!(e.loc.as_ref().map(|l| (l.line, l.col)), Some((2, 1)), "{e}");
        run(&[("a.html", "{% set_global s = '' %}{% for i in range(end=9) %}{% set_global s = s ~ i.x ~ 'x' %}{% endfor %}")]).unwrap();
        let doubling: String = (0..20)
            .map(|i| format!("{{% macro m{i}() %}}{{{{ self::m{}() }}}}{{{{ self::m{}() }}}}{{% endmacro %}}", i + 1, i + 1))
            .collect();
        let e = run(&[("a.html", &doubling)]).unwrap_err();
        assert!(e.message.contains("MAX_MACRO_CALLS"), "{e}");
        let chain: Vec<(String, String)> = (0..100)
            .map(|i| {
                (
                    format!("t{i:03}.html"),
                    format!("{{% include 't{:03}.html' %}}", i + 1),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = chain
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let e = run(&files).unwrap_err();
        assert!(e.message.contains("nest more than"), "{e}");
    }
}
