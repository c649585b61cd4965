//! The one way this crate (and Weir) builds an HTTP client: reqwest with rustls on the ring
//! provider and Mozilla's root certificates, given to the client explicitly so that nothing
//! depends on a process-wide crypto provider being installed.

use std::sync::Arc;

/// A client builder with Weir's TLS setup; callers add their timeouts and build.
pub fn client_builder() -> reqwest::ClientBuilder {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let builder = reqwest::Client::builder();
    match rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider())).with_safe_default_protocol_versions() {
        Ok(config) => builder.tls_backend_preconfigured(config.with_root_certificates(roots).with_no_client_auth()),
        // ring supports the default protocol versions: not reached. Without a TLS config the
        // client still speaks plain HTTP.
        Err(_) => builder,
    }
}
