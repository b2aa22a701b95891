//! root-only: a module with a root context and nothing else, a deliberately broken WasmPlugin.
//!
//! It logs its plugin configuration at configure time, asks for a tick every 10 s and logs each
//! tick: the kind of module that is meant to run as a bootstrap extension (or a singleton) of the
//! proxy. It implements `RootContext` but neither `get_type` nor `create_http_context`, so the SDK
//! has no way to make an HTTP context: the module starts and configures fine, and passes a static
//! check (it exports every proxy-wasm 0.2.1 entry point, as every SDK module does), but deployed as
//! a WasmPlugin the first request makes the SDK panic in `proxy_on_context_create` ("missing
//! ContextType on root_context"), which is a wasm trap (`panic = "abort"`), on every request.

use std::time::Duration;

use proxy_wasm::traits::{Context, RootContext};
use proxy_wasm::types::LogLevel;

const NAME: &str = "root-only";

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| Box::new(Root { ticks: 0 }));
}}

struct Root {
    ticks: u64,
}

impl Context for Root {}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let config = self.get_plugin_configuration().unwrap_or_default();
        let _ = proxy_wasm::hostcalls::log(
            LogLevel::Info,
            &format!(
                "{NAME}: configured with {} bytes: {:?}",
                config.len(),
                String::from_utf8_lossy(&config)
            ),
        );
        self.set_tick_period(Duration::from_secs(10));
        true
    }

    fn on_tick(&mut self) {
        self.ticks += 1;
        let _ =
            proxy_wasm::hostcalls::log(LogLevel::Debug, &format!("{NAME}: tick {}", self.ticks));
    }

    // No get_type, no create_http_context: on purpose (see the module documentation).
}
