//! Static checks of the template set before Tera compiles it: `include`/`extends`/`import`
//! cycles, recursive macros, too-deep nesting and over-limit literal `range`s. Tera has no
//! depth bound, so each of these would exhaust the stack (an abort) or run without end.

use std::collections::BTreeMap;
use std::path::Path;

use super::limits::{MAX_MACRO_CALLS, MAX_RANGE_ITEMS, MAX_TEMPLATE_NESTING};
use crate::diagnostics::{Diagnostic, Loc};

/// How one template refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Uses {
    Includes,
    Extends,
    Imports,
}

impl Uses {
    fn verb(self) -> &'static str {
        match self {
            Uses::Includes => "includes",
            Uses::Extends => "extends",
            Uses::Imports => "imports",
        }
    }
}

/// A reference found in a template: which one, how, and where (line, column).
#[derive(Debug, Clone)]
struct Edge<N> {
    to: N,
    label: String,
    at: (usize, usize),
}

/// A macro: (template name, macro name).
type MacroId = (String, String);

/// A node of a graph: a template (by name) or a macro.
trait Node: Ord + Clone {
    /// The template it is in.
    fn file(&self) -> &str;
    /// How a message names it.
    fn subject(&self) -> String;
}

impl Node for String {
    fn file(&self) -> &str {
        self
    }
    fn subject(&self) -> String {
        format!("templates/{self}")
    }
}

impl Node for MacroId {
    fn file(&self) -> &str {
        &self.0
    }
    fn subject(&self) -> String {
        format!("macro `{}` in templates/{}", self.1, self.0)
    }
}

/// What the scan of one template found.
#[derive(Debug, Default)]
struct Scan {
    refs: Vec<(Uses, String, (usize, usize))>,
    /// Import aliases (`m` in `{% import "macros.html" as m %}`) to template names.
    aliases: BTreeMap<String, String>,
    /// Calls made inside each macro: (caller, namespace, callee, position).
    calls: Vec<(String, String, String, (usize, usize))>,
}

/// Checks every template; the first problem found, in name order, as a diagnostic.
pub fn check(sources: &BTreeMap<String, String>) -> Result<(), Diagnostic> {
    let mut scans = BTreeMap::new();
    for (name, src) in sources {
        scans.insert(name.clone(), scan(name, src)?);
    }
    let mut graph: BTreeMap<String, Vec<Edge<String>>> = BTreeMap::new();
    for (name, s) in &scans {
        let edges = s.refs.iter().filter(|(_, to, _)| sources.contains_key(to));
        let edges = edges.map(|(uses, to, at)| Edge {
            to: to.clone(),
            label: format!("{} {to}", uses.verb()),
            at: *at,
        });
        graph.insert(name.clone(), edges.collect());
    }
    if let Some(cycle) = find_cycle(&graph) {
        return Err(cycle_error(&cycle, "template loop").with_help(
            "a template may not include, extend or import itself, directly or through others; \
             move the shared part into a template that none of them includes back",
        ));
    }
    let macros = macro_graph(&scans);
    if let Some(cycle) = find_cycle(&macros) {
        return Err(cycle_error(&cycle, "recursive macro").with_help(
            "Tera macros have no depth limit, so recursion can exhaust the stack; \
             write the levels out (one macro per level) or loop over flattened data",
        ));
    }
    if let Some(d) = too_many_calls(&macros) {
        return Err(d);
    }
    let chains = [find_longest(&graph), find_longest(&macros)];
    if let Some(d) = chains.into_iter().flatten().next() {
        return Err(d);
    }
    Ok(())
}

/// A chain of includes (or macro calls) deeper than the limit, as a diagnostic.
fn find_longest<N: Node>(graph: &BTreeMap<N, Vec<Edge<N>>>) -> Option<Diagnostic> {
    let chain = too_long(graph)?;
    let what = format!("chain longer than {MAX_TEMPLATE_NESTING} levels (MAX_TEMPLATE_NESTING)");
    let d = cycle_error(&chain, &what);
    Some(Diagnostic { message: format!("{}, …", d.message), ..d }.with_help(
        "Tera recurses once per level: shorten the chain of includes, extends, imports or macro calls",
    ))
}

/// Macro calls as a graph: `self::x` calls the same template's `x`, `m::x` the imported one's.
fn macro_graph(scans: &BTreeMap<String, Scan>) -> BTreeMap<MacroId, Vec<Edge<MacroId>>> {
    let mut graph: BTreeMap<MacroId, Vec<Edge<MacroId>>> = BTreeMap::new();
    for (name, s) in scans {
        for (caller, ns, callee, at) in &s.calls {
            let target = if ns == "self" {
                Some(name)
            } else {
                s.aliases.get(ns)
            };
            let Some(target) = target.filter(|t| scans.contains_key(*t)) else {
                continue;
            };
            graph
                .entry((name.clone(), caller.clone()))
                .or_default()
                .push(Edge {
                    to: (target.clone(), callee.clone()),
                    label: format!("calls {ns}::{callee} ({target})"),
                    at: *at,
                });
        }
    }
    graph
}

/// The nodes of an acyclic `graph`, each after every node its edges lead to (iteratively:
/// a long chain must not exhaust the stack here either).
fn post_order<N: Ord>(graph: &BTreeMap<N, Vec<Edge<N>>>) -> Vec<&N> {
    let mut done: std::collections::BTreeSet<&N> = Default::default();
    let mut order = Vec::with_capacity(graph.len());
    for start in graph.keys() {
        let mut stack: Vec<(&N, bool)> = vec![(start, false)];
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

/// In an acyclic `graph`, a chain of more than `MAX_TEMPLATE_NESTING` edges, if any: its first
/// edges (enough to show where it starts).
fn too_long<N: Ord + Clone>(graph: &BTreeMap<N, Vec<Edge<N>>>) -> Option<Vec<(N, Edge<N>)>> {
    // Longest chain from each node, in edges, and the edge it starts with.
    let mut longest: BTreeMap<&N, (usize, Option<usize>)> = BTreeMap::new();
    for node in post_order(graph) {
        let edges = graph.get(node).map(Vec::as_slice).unwrap_or_default();
        let best = edges
            .iter()
            .enumerate()
            .map(|(i, e)| (longest.get(&e.to).map_or(0, |l| l.0) + 1, Some(i)))
            .max_by_key(|(len, i)| (*len, std::cmp::Reverse(*i)))
            .unwrap_or((0, None));
        longest.insert(node, best);
    }
    let (mut node, _) = longest.iter().find(|(_, l)| l.0 > MAX_TEMPLATE_NESTING)?;
    let mut chain = Vec::new();
    while let (Some((_, Some(i))), true) = (longest.get(node), chain.len() < 3) {
        let edge = &graph[*node][*i];
        chain.push(((*node).clone(), edge.clone()));
        node = longest.get_key_value(&edge.to)?.0;
    }
    Some(chain)
}

/// In an acyclic macro graph, a macro whose one call expands (call sites counted, loops not)
/// into more than `MAX_MACRO_CALLS` calls: a few macros that each call the next twice would
/// otherwise build an output of 2^depth bytes in memory.
fn too_many_calls(graph: &BTreeMap<MacroId, Vec<Edge<MacroId>>>) -> Option<Diagnostic> {
    let mut calls: BTreeMap<&MacroId, u64> = BTreeMap::new();
    for node in post_order(graph) {
        let edges = graph.get(node).map(Vec::as_slice).unwrap_or_default();
        let n = edges.iter().fold(1u64, |n, e| {
            n.saturating_add(calls.get(&e.to).copied().unwrap_or(1))
        });
        calls.insert(node, n);
        if n > MAX_MACRO_CALLS {
            let path = Path::new("templates").join(&node.0);
            let at = edges.first().map_or((1, 1), |e| e.at);
            let message = format!(
                "macro `{}` in {} expands into over {MAX_MACRO_CALLS} macro calls (MAX_MACRO_CALLS)",
                node.1,
                path.display()
            );
            return Some(
                Diagnostic::error(Some(Loc::new(path, at.0, at.1)), message).with_help(
                    "macros that each call the next several times multiply; loop over data instead",
                ),
            );
        }
    }
    None
}

/// `templates/a.html includes b.html, which includes a.html`, at the first tag of the loop.
fn cycle_error<N: Node>(cycle: &[(N, Edge<N>)], what: &str) -> Diagnostic {
    let (first, edge) = &cycle[0];
    let path = Path::new("templates").join(first.file());
    let mut chain = String::new();
    for (i, (_, e)) in cycle.iter().enumerate() {
        chain.push_str(if i == 0 { " " } else { ", which " });
        chain.push_str(&e.label);
    }
    let message = format!("{what}: {}{chain}", first.subject());
    Diagnostic::error(Some(Loc::new(path, edge.at.0, edge.at.1)), message)
}

/// A cycle in `graph` (edges to unknown nodes are ignored), as the edges that form it,
/// starting from the node first re-entered; nodes and edges are visited in order.
fn find_cycle<N: Ord + Clone>(graph: &BTreeMap<N, Vec<Edge<N>>>) -> Option<Vec<(N, Edge<N>)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&N, Mark> = BTreeMap::new();
    for start in graph.keys() {
        if marks.contains_key(start) {
            continue;
        }
        // Iterative depth-first search: (node, index of the next edge to follow).
        let mut stack: Vec<(&N, usize)> = vec![(start, 0)];
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

/// A token of a tag's body, with its byte offset in the template.
#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    Str(&'a str),
    Int(&'a str),
    /// `::`
    PathSep,
    Punct(char),
}

/// A `set_global`: the variable, the expression's tokens, the tag's offset.
type Assign<'a> = (String, &'a [(Tok<'a>, usize)], usize);

/// One `{% … %}` or `{{ … }}`: its body's tokens.
struct Tag<'a> {
    /// Byte offset of the tag's `{`.
    start: usize,
    statement: bool,
    toks: Vec<(Tok<'a>, usize)>,
}

/// Line and column (from 1, in characters) of byte `at` in `src`.
fn line_col(src: &str, at: usize) -> (usize, usize) {
    let before = src.get(..at).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The tags of `src` in order, skipping comments and `{% raw %}` blocks. An unclosed tag
/// ends the scan: Tera reports it as a syntax error.
fn tags(src: &str) -> Vec<Tag<'_>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_raw = false;
    while let Some(found) = src.get(i..).and_then(|s| s.find('{')) {
        let open = i + found;
        let closer = match bytes.get(open + 1) {
            Some(b'%') => "%}",
            Some(b'{') if !in_raw => "}}",
            Some(b'#') if !in_raw => {
                match src[open + 2..].find("#}") {
                    Some(end) => i = open + 2 + end + 2,
                    None => break,
                }
                continue;
            }
            _ => {
                i = open + 1;
                continue;
            }
        };
        let body_start = open + 2;
        let Some(body_end) = tag_end(src, body_start, closer) else {
            break;
        };
        i = body_end + 2;
        let toks = tokens(src, body_start, body_end);
        let first = toks.first().map(|(t, _)| t.clone());
        if in_raw {
            in_raw = first != Some(Tok::Ident("endraw"));
            continue;
        }
        in_raw = closer == "%}" && first == Some(Tok::Ident("raw"));
        out.push(Tag {
            start: open,
            statement: closer == "%}",
            toks,
        });
    }
    out
}

/// Where `closer` ends the tag whose body starts at `from`, outside string literals.
fn tag_end(src: &str, from: usize, closer: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => i += 1 + src[i + 1..].find(q as char)? + 1,
            _ if bytes[i..].starts_with(closer.as_bytes()) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Tokens of `src[from..to]` (whitespace-control dashes are punctuation, and harmless).
fn tokens(src: &str, from: usize, to: usize) -> Vec<(Tok<'_>, usize)> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let rest = &src[i..to];
        let Some(c) = rest.chars().next() else { break };
        let len = if c == '"' || c == '\'' || c == '`' {
            let (text, end) = match rest[1..].find(c) {
                Some(e) => (&rest[1..1 + e], e + 2),
                None => (&rest[1..], rest.len()),
            };
            out.push((Tok::Str(text), i));
            end
        } else if c.is_alphabetic() || c == '_' {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            out.push((Tok::Ident(&rest[..end]), i));
            end
        } else if c.is_ascii_digit() {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '_'))
                .unwrap_or(rest.len());
            out.push((Tok::Int(&rest[..end]), i));
            end
        } else if rest.starts_with("::") {
            out.push((Tok::PathSep, i));
            2
        } else {
            if !c.is_whitespace() {
                out.push((Tok::Punct(c), i));
            }
            c.len_utf8()
        };
        i += len;
    }
    out
}

/// Scans one template: its references, import aliases and macro calls; too-deep nesting and
/// over-limit literal `range`s are errors here, at their tag.
fn scan(name: &str, src: &str) -> Result<Scan, Diagnostic> {
    let fail = |at: usize, message: String, help: &str| {
        let (line, col) = line_col(src, at);
        Diagnostic::error(
            Some(Loc::new(Path::new("templates").join(name), line, col)),
            message,
        )
        .with_help(help.to_string())
    };
    let mut s = Scan::default();
    let (mut depth, mut in_macro) = (0usize, None::<String>);
    let all = tags(src);
    let mut globals: Vec<Assign> = Vec::new();
    for tag in &all {
        let toks = match tag.toks.first() {
            Some((Tok::Punct('-'), _)) => &tag.toks[1..],
            _ => &tag.toks[..],
        };
        if let Some(at) = too_deep(toks) {
            return Err(fail(
                at,
                format!(
                    "expression nested more than {MAX_TEMPLATE_NESTING} levels deep (MAX_TEMPLATE_NESTING)"
                ),
                "split the expression with `{% set %}`",
            ));
        }
        calls_and_ranges(src, toks, in_macro.as_deref(), &mut s.calls)
            .map_err(|(at, n)| fail(at, format!("range() of {n} items is over the limit of {MAX_RANGE_ITEMS} per call (MAX_RANGE_ITEMS)"), "loop over data from the page context, or use a smaller `end`"))?;
        let (Some((Tok::Ident(word), _)), true) = (toks.first(), tag.statement) else {
            continue;
        };
        match *word {
            "include" | "extends" | "import" => references(toks, line_col(src, tag.start), &mut s),
            "macro" | "if" | "for" | "block" | "filter" => {
                if let ("macro", Some((Tok::Ident(m), _))) = (*word, toks.get(1)) {
                    in_macro = Some(m.to_string());
                }
                depth += 1;
                if depth > MAX_TEMPLATE_NESTING {
                    return Err(fail(
                        toks[0].1,
                        format!(
                            "blocks nested more than {MAX_TEMPLATE_NESTING} levels deep (MAX_TEMPLATE_NESTING)"
                        ),
                        "flatten the template: move inner parts into macros or separate templates",
                    ));
                }
            }
            "set_global" => {
                if let Some((Tok::Ident(var), _)) = toks.get(1) {
                    globals.push((var.to_string(), &toks[2..], tag.start));
                }
            }
            "endmacro" | "endif" | "endfor" | "endblock" | "endfilter" => {
                if *word == "endmacro" {
                    in_macro = None;
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    if let Some(at) = doubling(&globals) {
        return Err(fail(
            at,
            "`set_global` uses `set_global` variables twice: repeated, it doubles a value each time".to_string(),
            "build the text in a loop that outputs it directly, or append a bounded piece each time (`s ~ x`)",
        ));
    }
    Ok(s)
}

/// The first `set_global` whose expression reads `set_global` variables twice or more (like
/// `s = s ~ s`): in a loop that doubles a value each time, past any memory in 40 rounds.
fn doubling(globals: &[Assign]) -> Option<usize> {
    let names: Vec<&str> = globals.iter().map(|g| g.0.as_str()).collect();
    globals.iter().find_map(|(_, expr, at)| {
        let reads = expr
            .iter()
            .enumerate()
            .filter(|(i, (t, _))| {
                let after_dot = *i > 0 && expr[i - 1].0 == Tok::Punct('.');
                matches!(t, Tok::Ident(n) if names.contains(n)) && !after_dot
            })
            .count();
        (reads >= 2).then_some(*at)
    })
}

/// Records what an `include`, `extends` or `import` tag (`toks`, at `at`) refers to.
fn references(toks: &[(Tok, usize)], at: (usize, usize), s: &mut Scan) {
    let strings = toks.iter().skip(1).map_while(|(t, _)| match t {
        Tok::Str(text) => Some(Some(text.to_string())),
        Tok::Punct('[' | ']' | ',') => Some(None),
        _ => None,
    });
    match toks.first() {
        Some((Tok::Ident("include"), _)) => {
            s.refs
                .extend(strings.flatten().map(|t| (Uses::Includes, t, at)));
        }
        Some((Tok::Ident("extends"), _)) => {
            s.refs
                .extend(strings.flatten().take(1).map(|t| (Uses::Extends, t, at)));
        }
        _ => {
            if let [
                _,
                (Tok::Str(file), _),
                (Tok::Ident("as"), _),
                (Tok::Ident(alias), _),
                ..,
            ] = toks
            {
                s.aliases.insert(alias.to_string(), file.to_string());
                s.refs.push((Uses::Imports, file.to_string(), at));
            }
        }
    }
}

/// The offset of the first bracket nested deeper than the limit in a tag, if any.
fn too_deep(toks: &[(Tok, usize)]) -> Option<usize> {
    let mut depth = 0usize;
    for (t, at) in toks {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_TEMPLATE_NESTING {
            return Some(*at);
        }
    }
    None
}

/// Records the macro calls (`ns::name(`) made inside macro `in_macro`; a `range(…)` whose
/// literal arguments give more than `MAX_RANGE_ITEMS` items is `Err((offset, items))`.
fn calls_and_ranges(
    src: &str,
    toks: &[(Tok, usize)],
    in_macro: Option<&str>,
    calls: &mut Vec<(String, String, String, (usize, usize))>,
) -> Result<(), (usize, u128)> {
    for window in toks.windows(4) {
        if let (
            Some(caller),
            [
                (Tok::Ident(ns), at),
                (Tok::PathSep, _),
                (Tok::Ident(callee), _),
                (Tok::Punct('('), _),
            ],
        ) = (in_macro, window)
        {
            let (ns, callee) = (ns.to_string(), callee.to_string());
            calls.push((caller.to_string(), ns, callee, line_col(src, *at)));
        }
    }
    for (i, (t, at)) in toks.iter().enumerate() {
        let (Tok::Ident("range"), Some((Tok::Punct('('), _))) = (t, toks.get(i + 1)) else {
            continue;
        };
        if i > 0 && toks[i - 1].0 == Tok::PathSep {
            continue;
        }
        let mut args: BTreeMap<&str, u128> = BTreeMap::new();
        for arg in toks[i + 2..].windows(3) {
            match arg {
                [(Tok::Punct(')'), _), ..] => break,
                [(Tok::Ident(k), _), (Tok::Punct('='), _), (Tok::Int(v), _)] => {
                    args.insert(k, v.replace('_', "").parse().unwrap_or(u128::MAX));
                }
                _ => {}
            }
        }
        let start = args.get("start").copied().unwrap_or(0);
        let step = args.get("step_by").copied().unwrap_or(1).max(1);
        if let Some(end) = args.get("end") {
            let items = end.saturating_sub(start).div_ceil(step);
            if items > MAX_RANGE_ITEMS as u128 {
                return Err((*at, items));
            }
        }
    }
    Ok(())
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
        assert!(e.message.contains("chain longer than"), "{e}");
    }
}
