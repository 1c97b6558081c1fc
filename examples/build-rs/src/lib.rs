#![doc = include_str!(concat!(env!("OUT_DIR"), "/openapi/docs.md"))]
include!(concat!(env!("OUT_DIR"), "/openapi/include.rs"));
