//! The crate's tables: the spec's parameter limits and security requirements, one constant per
//! distinct value (`crate::resources::tables`), so that operations name them instead of
//! repeating them.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Api, BodyKind, Constraints, Operation, TypeRef};

/// A limit the runtime checks: its constant's name and its value.
pub struct LimitConst {
    pub name: String,
    pub value: TokenStream,
}

fn opt<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn part_u(v: Option<u64>) -> String {
    v.map_or_else(|| "ANY".to_owned(), |v| v.to_string())
}

fn part_f(v: Option<f64>) -> String {
    v.map_or_else(
        || "ANY".to_owned(),
        |v| v.to_string().replace('-', "M").replace('.', "P"),
    )
}

/// The limit a value of `ty` has under `c`, if any: only strings (length), numbers (range) and
/// arrays (items) are checked.
pub fn limit_of(ty: &TypeRef, c: &Constraints) -> Option<LimitConst> {
    match ty {
        TypeRef::String if c.min_length.is_some() || c.max_length.is_some() => Some(LimitConst {
            name: format!("LENGTH_{}_{}", part_u(c.min_length), part_u(c.max_length)),
            value: {
                let (a, b) = (opt(c.min_length), opt(c.max_length));
                quote!(Limit::Length(#a, #b))
            },
        }),
        TypeRef::Integer(_) | TypeRef::Number if c.minimum.is_some() || c.maximum.is_some() => {
            Some(LimitConst {
                name: format!("RANGE_{}_{}", part_f(c.minimum), part_f(c.maximum)),
                value: {
                    let (a, b) = (opt(c.minimum), opt(c.maximum));
                    quote!(Limit::Range(#a, #b))
                },
            })
        }
        TypeRef::Array(_) if c.min_items.is_some() || c.max_items.is_some() => Some(LimitConst {
            name: format!("ITEMS_{}_{}", part_u(c.min_items), part_u(c.max_items)),
            value: {
                let (a, b) = (opt(c.min_items), opt(c.max_items));
                quote!(Limit::Items(#a, #b))
            },
        }),
        _ => None,
    }
}

/// The path of a limit's constant.
pub fn limit_path(l: &LimitConst) -> TokenStream {
    let n = ident(&l.name);
    quote!(crate::resources::tables::#n)
}

/// The top-level fields of a struct body whose limits are checked before sending.
pub fn body_fields<'a>(api: &'a Api, op: &'a Operation) -> Vec<&'a crate::ir::Field> {
    let Some(body) = op.body.as_ref().filter(|b| {
        matches!(
            b.kind,
            BodyKind::Json | BodyKind::Multipart | BodyKind::Form
        )
    }) else {
        return Vec::new();
    };
    let TypeRef::Named(name) = &body.ty else {
        return Vec::new();
    };
    api.struct_fields(name)
        .map(|fields| fields.iter().collect())
        .unwrap_or_default()
}

/// The path of an operation's security constant (`api.security_sets` is short: a lookup).
pub fn security_path(api: &Api, op: &Operation) -> TokenStream {
    let i = api
        .security_sets
        .iter()
        .position(|s| *s == op.security)
        .unwrap_or(0);
    let n = quote::format_ident!("SECURITY_{}", i);
    quote!(crate::resources::tables::#n)
}

/// The `tables` module: every limit and security requirement the operations use.
pub fn tables_mod(api: &Api) -> TokenStream {
    let mut limits: Vec<LimitConst> = Vec::new();
    let mut add = |l: Option<LimitConst>| {
        if let Some(l) = l {
            if !limits.iter().any(|x| x.name == l.name) {
                limits.push(l);
            }
        }
    };
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        for p in &op.params {
            add(limit_of(&p.ty, &p.constraints));
        }
        for f in body_fields(api, op) {
            add(limit_of(&f.ty, &f.constraints));
        }
    }
    limits.sort_by(|a, b| a.name.cmp(&b.name));
    let import = (!limits.is_empty()).then(|| {
        quote!(
            use crate::runtime::Limit;
        )
    });
    let limits = limits.iter().map(|l| {
        let n = ident(&l.name);
        let v = &l.value;
        quote!(pub const #n: Limit = #v;)
    });
    let security = api.security_sets.iter().enumerate().map(|(i, set)| {
        let n = quote::format_ident!("SECURITY_{}", i);
        let alts = set.iter().map(|alt| {
            let keys = alt.iter().map(String::as_str);
            quote!(&[#(#keys),*])
        });
        quote!(pub const #n: &[&[&str]] = &[#(#alts),*];)
    });
    quote! {
        /// The spec's limits and security requirements, one constant each, named by the operations.
        #[doc(hidden)]
        pub mod tables {
            #import
            #(#limits)*
            #(#security)*
        }
    }
}
