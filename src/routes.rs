//! The route table: Django-style path regexes compiled once, matched in Rust without the GIL.
//!
//! Routes keep Django's first-match-wins order. All regexes go into one `RegexSet`, so a lookup is a single pass
//! over the path; routes whose regex is a plain literal are also indexed in a hash map and answered without any
//! regex when no earlier route could match the same path.

use std::collections::HashMap;

use regex::{Regex, RegexSet};

/// How a path parameter reaches Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Converter {
    Str,
    Int,
}

impl Converter {
    pub fn parse(name: &str) -> Result<Self, String> {
        match name {
            "str" | "" => Ok(Self::Str),
            "int" => Ok(Self::Int),
            other => Err(format!(
                "unknown path converter {other:?} (expected \"str\" or \"int\")"
            )),
        }
    }
}

/// What Python registers for one URL pattern.
#[derive(Clone, Debug)]
pub struct RouteSpec {
    /// Django-style regex over the path without its leading slash.
    pub regex: String,
    /// Upper-case methods, in the order `Allow` lists them.
    pub methods: Vec<String>,
    pub converters: Vec<(String, Converter)>,
}

#[derive(Debug)]
struct CompiledRoute {
    regex: Regex,
    methods: Vec<String>,
    allow: String,
    /// Named groups in the regex, with their converter.
    params: Vec<(String, Converter)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    Str(String),
    /// Digits of an `int` parameter; Python turns them into an `int` of any size.
    Int(String),
}

#[derive(Debug, PartialEq, Eq)]
pub struct RouteMatch {
    pub index: usize,
    pub params: Vec<(String, ParamValue)>,
}

#[derive(Debug)]
pub struct RouteTable {
    routes: Vec<CompiledRoute>,
    set: RegexSet,
    /// Literal paths that no earlier route can match: answered by hash lookup alone.
    statics: HashMap<String, usize>,
}

/// Python's regex dialect differs from Rust's in a few spellings Django emits.
fn translate(pattern: &str) -> String {
    pattern.replace("\\Z", "\\z")
}

/// The literal path a regex matches when it is nothing but anchored text (`^books/$`).
fn literal_path(pattern: &str) -> Option<String> {
    let body = pattern.strip_prefix('^')?;
    let body = body
        .strip_suffix("\\Z")
        .or_else(|| body.strip_suffix("\\z"))
        .or_else(|| body.strip_suffix('$'))?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next()?;
                if next.is_ascii_alphanumeric() {
                    return None; // a class such as \d, not an escaped literal
                }
                out.push(next);
            }
            '.' | '^' | '$' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' => {
                return None
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

impl RouteTable {
    pub fn build(specs: &[RouteSpec]) -> Result<Self, String> {
        let mut routes = Vec::with_capacity(specs.len());
        let mut patterns = Vec::with_capacity(specs.len());
        for spec in specs {
            let translated = translate(&spec.regex);
            // Django anchors at the start of the remaining path; a pattern without `^` still matches from there.
            let anchored = if translated.starts_with('^') {
                translated.clone()
            } else {
                format!("^(?:{translated})")
            };
            let regex =
                Regex::new(&anchored).map_err(|e| format!("route {:?}: {e}", spec.regex))?;
            let converters: HashMap<&str, Converter> = spec
                .converters
                .iter()
                .map(|(name, conv)| (name.as_str(), *conv))
                .collect();
            let params = regex
                .capture_names()
                .flatten()
                .map(|name| {
                    (
                        name.to_string(),
                        converters.get(name).copied().unwrap_or(Converter::Str),
                    )
                })
                .collect();
            let methods: Vec<String> = spec
                .methods
                .iter()
                .map(|m| m.to_ascii_uppercase())
                .collect();
            let allow = methods.join(", ");
            patterns.push(anchored);
            routes.push(CompiledRoute {
                regex,
                methods,
                allow,
                params,
            });
        }
        let set = RegexSet::new(&patterns).map_err(|e| e.to_string())?;
        let mut statics = HashMap::new();
        for (index, spec) in specs.iter().enumerate() {
            if let Some(path) = literal_path(&translate(&spec.regex)) {
                let shadowed = routes[..index].iter().any(|r| r.regex.is_match(&path));
                if !shadowed {
                    statics.entry(path).or_insert(index);
                }
            }
        }
        Ok(Self {
            routes,
            set,
            statics,
        })
    }

    pub fn len(&self) -> usize {
        self.routes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// The first route whose regex matches `path` (given without its leading slash).
    pub fn find(&self, path: &str) -> Option<RouteMatch> {
        if let Some(&index) = self.statics.get(path) {
            return Some(RouteMatch {
                index,
                params: Vec::new(),
            });
        }
        self.find_from(path, 0)
    }

    /// The first route from `start` on whose regex matches `path` (the one after a route that declined it).
    pub fn find_from(&self, path: &str, start: usize) -> Option<RouteMatch> {
        let index = self
            .set
            .matches(path)
            .iter()
            .find(|&index| index >= start)?;
        let route = &self.routes[index];
        if route.params.is_empty() {
            return Some(RouteMatch {
                index,
                params: Vec::new(),
            });
        }
        let captures = route.regex.captures(path)?;
        let params = route
            .params
            .iter()
            .filter_map(|(name, conv)| {
                let text = captures.name(name)?.as_str().to_string();
                let value = match conv {
                    Converter::Int
                        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        ParamValue::Int(text)
                    }
                    _ => ParamValue::Str(text),
                };
                Some((name.clone(), value))
            })
            .collect();
        Some(RouteMatch { index, params })
    }

    /// Whether the route answers `method`, counting HEAD as served by GET; `*` lets every method through.
    pub fn allows(&self, index: usize, method: &str) -> bool {
        let methods = &self.routes[index].methods;
        methods.iter().any(|m| m == method || m == "*")
            || (method == "HEAD" && methods.iter().any(|m| m == "GET"))
    }

    pub fn allow_header(&self, index: usize) -> &str {
        &self.routes[index].allow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(regex: &str, methods: &[&str], converters: &[(&str, Converter)]) -> RouteSpec {
        RouteSpec {
            regex: regex.to_string(),
            methods: methods.iter().map(|m| m.to_string()).collect(),
            converters: converters
                .iter()
                .map(|(n, c)| (n.to_string(), *c))
                .collect(),
        }
    }

    fn table() -> RouteTable {
        RouteTable::build(&[
            spec("^books/$", &["GET", "POST"], &[]),
            spec(r"^books/(?P<pk>[^/.]+)/$", &["GET", "PUT", "DELETE"], &[]),
            spec(
                r"^items/(?P<id>[0-9]+)\Z",
                &["GET"],
                &[("id", Converter::Int)],
            ),
            spec(r"^hello\-world\Z", &["GET"], &[]),
        ])
        .unwrap()
    }

    #[test]
    fn literal_routes_use_the_hash_map() {
        let t = table();
        assert_eq!(
            t.find("books/"),
            Some(RouteMatch {
                index: 0,
                params: vec![]
            })
        );
        assert_eq!(t.find("hello-world").unwrap().index, 3);
        assert_eq!(t.statics.len(), 2);
    }

    #[test]
    fn named_groups_become_typed_params() {
        let t = table();
        let m = t.find("books/42/").unwrap();
        assert_eq!(m.index, 1);
        assert_eq!(
            m.params,
            vec![("pk".to_string(), ParamValue::Str("42".to_string()))]
        );
        let m = t.find("items/7").unwrap();
        assert_eq!(
            m.params,
            vec![("id".to_string(), ParamValue::Int("7".to_string()))]
        );
    }

    #[test]
    fn no_match_and_partial_matches() {
        let t = table();
        assert!(t.find("books/1.json/").is_none());
        assert!(t.find("items/x").is_none());
        assert!(t.find("items/7/extra").is_none());
        assert!(t.find("nope").is_none());
    }

    #[test]
    fn first_registered_route_wins_even_over_literals() {
        let t = RouteTable::build(&[
            spec(r"^(?P<slug>[a-z]+)/$", &["GET"], &[]),
            spec("^about/$", &["POST"], &[]),
        ])
        .unwrap();
        assert_eq!(t.find("about/").unwrap().index, 0);
        assert!(t.statics.is_empty());
    }

    #[test]
    fn methods_and_allow_header() {
        let t = table();
        assert!(t.allows(0, "POST"));
        assert!(t.allows(0, "HEAD"));
        assert!(!t.allows(0, "DELETE"));
        assert_eq!(t.allow_header(1), "GET, PUT, DELETE");
    }

    #[test]
    fn bad_regex_is_reported_with_its_route() {
        let err = RouteTable::build(&[spec("^(?P<x>[a-$", &["GET"], &[])]).unwrap_err();
        assert!(err.contains("^(?P<x>[a-$"), "{err}");
    }
}
