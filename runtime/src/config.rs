//! [`ApiConfig`]: what a generated crate tells the runtime about its API, as data.

/// The API-specific settings of a generated crate, held in a `static` there and handed to
/// [`ClientBuilder::new`](super::ClientBuilder::new).
///
/// Built with `const` methods, so that a generated crate can write
/// `static API: ApiConfig = ApiConfig::new("name/1.0").default_base_url("https://...");`
/// and new settings can be added without breaking older generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiConfig {
    /// The default `User-Agent`, usually the generated crate's name and version.
    pub user_agent: &'static str,
    /// The base URL used unless the builder sets another one.
    pub default_base_url: Option<&'static str>,
}

impl ApiConfig {
    /// Settings with this `User-Agent` and nothing else.
    pub const fn new(user_agent: &'static str) -> Self {
        Self {
            user_agent,
            default_base_url: None,
        }
    }

    /// Sets the default base URL.
    pub const fn default_base_url(mut self, url: &'static str) -> Self {
        self.default_base_url = Some(url);
        self
    }
}
