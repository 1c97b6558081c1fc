//! The setters of the structs requests use and the conversions into the unions they use, one
//! short macro call each, so that generated code carries a line where it would carry five.

/// One setter of a generated struct, called inside its `impl` block: `setter!(field(Type))`
/// gives `fn field(self, impl Into<Type>) -> Self`, which stores `Some(value.into())`, so that a
/// request body is built in one chained expression. `setter!(name = field(Type))` names the
/// method differently from the field (`type_` for `r#type`). The expansion names only `::std`.
#[doc(hidden)]
#[macro_export]
macro_rules! __setter {
    ($field:ident($ty:ty)) => {
        $crate::__setter!($field = $field($ty));
    };
    ($setter:ident = $field:ident($ty:ty)) => {
        #[doc = concat!("Sets `", stringify!($field), "` (to `Some(value)`).")]
        pub fn $setter(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.$field = ::std::option::Option::Some(value.into());
            self
        }
    };
}

/// A conversion into a generated union from one branch's value, so that `.into()` picks the
/// branch: `variant_from!(Union::Variant(Type))` implements `From<Type> for Union`, and
/// `variant_from!(Union::Variant(&str))` converts text into a `String` branch.
#[doc(hidden)]
#[macro_export]
macro_rules! __variant_from {
    ($name:ident::$variant:ident(&str)) => {
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::$variant(::std::borrow::ToOwned::to_owned(value))
            }
        }
    };
    ($name:ident::$variant:ident($ty:ty)) => {
        impl ::std::convert::From<$ty> for $name {
            fn from(value: $ty) -> Self {
                Self::$variant(value)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Default, PartialEq)]
    struct Body {
        name: Option<String>,
        r#type: Option<i64>,
        size: Option<f64>,
    }

    impl Body {
        crate::__setter!(name(String));
        crate::__setter!(type_ = r#type(i64));
        crate::__setter!(size(f64));
    }

    #[derive(Debug, PartialEq)]
    enum Content {
        Text(String),
        Parts(Vec<i64>),
    }

    crate::__variant_from!(Content::Text(String));
    crate::__variant_from!(Content::Text(&str));
    crate::__variant_from!(Content::Parts(Vec<i64>));

    #[test]
    fn setters_wrap_in_some_and_chain() {
        let body = Body::default().name("a").type_(3).size(2);
        assert_eq!(
            body,
            Body {
                name: Some("a".to_owned()),
                r#type: Some(3),
                size: Some(2.0),
            }
        );
    }

    #[test]
    fn union_branches_convert_into_the_union() {
        assert_eq!(Content::from("a"), Content::Text("a".to_owned()));
        assert_eq!(Content::from("a".to_owned()), Content::Text("a".to_owned()));
        let parts: Content = vec![1, 2].into();
        assert_eq!(parts, Content::Parts(vec![1, 2]));
    }
}
