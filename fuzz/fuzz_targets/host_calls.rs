//! The embedded proxy-wasm host (`meshplug::run`): every host function driven with arbitrary
//! arguments over an arbitrary guest memory, and arbitrary bytes started and replayed as a
//! plugin module under small sandbox limits. Nothing may panic, hang or grow without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::run;
use std::sync::Once;

/// libfuzzer-sys aborts on every panic. `meshplug::run` catches panics raised inside wasmi (a
/// known wasmi 2.0.0 translator bug turns into `RunError::Invalid`), so let those unwind to it;
/// any other panic still aborts and is reported.
fn let_engine_panics_unwind() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_engine = info
                .location()
                .is_some_and(|l| l.file().contains("/wasmi-") || l.file().contains("/wasmi_"));
            if !in_engine {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    let_engine_panics_unwind();
    if data.len() >= 2 && !data.starts_with(b"\0asm") {
        let index = data[0] as usize;
        let in_stream = data[1] & 1 == 1;
        let mut args = [0i64; 12];
        for (slot, chunk) in args.iter_mut().zip(data[2..].chunks(4)) {
            let mut b = [0u8; 4];
            b[..chunk.len()].copy_from_slice(chunk);
            // Small values (sizes, types, fds) as often as wild pointers.
            let v = u32::from_le_bytes(b);
            *slot = if v & 0x8000_0000 != 0 {
                (v & 0x3ff) as i64
            } else {
                v as i64
            };
        }
        let memory = data.get(50..).unwrap_or_default();
        let memory = memory[..memory.len().min(64 << 10)].to_vec();
        let _ = run::fuzz_host_call(index, &args, memory, in_stream);
        return;
    }
    // As a module: the pin is whatever the bytes hash to.
    let pin = match run::Compiled::new(data, &"0".repeat(64)) {
        Err(run::RunError::ShaMismatch { actual, .. }) => actual,
        _ => return,
    };
    let Ok(compiled) = run::Compiled::new(data, &pin) else {
        return;
    };
    let mut spec = run::PluginSpec::new("fuzz.plugin", b"{}".to_vec());
    spec.limits.fuel_per_callback = 2_000_000;
    spec.limits.memory_bytes = 16 << 20;
    if let Ok(vm) = run::start(&compiled, &spec) {
        let mut chain = vec![vm];
        let mut mocks = run::Mocks::new();
        mocks.insert("up".into(), run::MockUpstream::Hang);
        let r = run::replay(
            &mut chain,
            run::Request::get("/fuzz").header("a", "b"),
            &mocks,
        );
        let _ = serde_json::to_string(&r);
    }
});
