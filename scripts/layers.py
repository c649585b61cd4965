#!/usr/bin/env python3
"""Import loops between modules of a crate's src/ tree.

A module is a file (foo.rs or foo/mod.rs). A reference is any `crate::a::b` path, `super::x`
path or `use` tree naming another module of the crate. A loop is a cycle between modules that
are not parent and child of each other (a mod.rs and its own children may refer to each other).
Prints each loop (strongly connected component of more than one module) and exits 1 if any.

Usage: layers.py [--graph] CRATE_SRC_DIR...
"""
import os
import re
import sys


def modules(src):
    mods = {}
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                rel = []
            if rel and rel[0] == "bin":
                continue
            mods[tuple(rel)] = path
    return mods


def strip(text):
    # Drop comments, strings and #[cfg(test)] modules (tests may reach anywhere).
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    m = re.search(r"#\[cfg\(test\)\]\s*mod\s+tests\s*\{", text)
    if m:
        text = text[: m.start()]
    return text


def expand_use(tree):
    """`a::{b, c::{d}}` -> ['a::b', 'a::c::d']"""
    tree = tree.replace(" ", "").replace("\n", "")
    out = []

    def go(prefix, t):
        i = t.find("{")
        if i < 0:
            out.append(prefix + t)
            return
        head = t[:i]
        body = t[i + 1 : t.rfind("}")]
        depth, cur, parts = 0, "", []
        for ch in body:
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            cur += ch
        parts.append(cur)
        for p in parts:
            if p:
                go(prefix + head, p)

    go("", tree)
    return out


def resolve(mods, here, path):
    parts = [p for p in path.split("::") if p and not p.startswith("r#")]
    parts = [p.split(" as ")[0] for p in parts]
    if not parts:
        return None
    if parts[0] == "crate":
        base, rest = (), parts[1:]
    elif parts[0] in ("super", "self"):
        base = here
        rest = parts
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
    else:
        return None
    best = None
    cur = base
    if cur in mods:
        best = cur
    for p in rest:
        cur = cur + (p,)
        if cur in mods:
            best = cur
        else:
            break
    return best


def graph(src):
    mods = modules(src)
    edges = {m: set() for m in mods}
    for m, path in mods.items():
        text = strip(open(path, encoding="utf-8").read())
        refs = []
        for u in re.finditer(r"\buse\s+([^;]+);", text):
            refs += expand_use(u.group(1))
        refs += re.findall(r"\b((?:crate|super|self)(?:::\w+)+)", text)
        for r in refs:
            t = resolve(mods, m, r)
            if t is None or t == m:
                continue
            # parent/child pairs may refer to each other
            if t == m[: len(t)] or m == t[: len(m)]:
                continue
            edges[m].add(t)
    return mods, edges


def sccs(edges):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            strong(v)
    return out


def name(m):
    return "::".join(m) or "crate"


def main():
    args = sys.argv[1:]
    show = "--graph" in args
    args = [a for a in args if a != "--graph"]
    bad = 0
    for src in args:
        mods, edges = graph(src)
        if show:
            for m in sorted(edges):
                print(f"{src}: {name(m)} -> {', '.join(sorted(name(t) for t in edges[m]))}")
        for comp in sccs(edges):
            if len(comp) > 1:
                bad += 1
                members = set(comp)
                print(f"{src}: import loop of {len(comp)} modules:")
                for m in sorted(comp):
                    inside = sorted(name(t) for t in edges[m] if t in members)
                    print(f"  {name(m)} -> {', '.join(inside)}")
    if bad:
        sys.exit(1)
    print("no import loops in " + ", ".join(args))


if __name__ == "__main__":
    main()
