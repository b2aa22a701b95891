//! The one file that talks to the engine (wasmi): compile, link, instantiate, call with a fuel
//! budget, and classify what went wrong. Everything above it sees [`CompiledModule`], [`Vm`] and
//! [`Fault`].

use super::Fault;
use super::abi::{self, Abort, Guest, HostState};
use wasmi::{
    Caller, CompilationMode, Config, Engine, Extern, ExternType, Func, Linker, Memory, Module,
    ResourceLimiter, Store, Val, ValType,
};
use wasmi_core::LimiterError;

/// Wasm call depth at which a call traps (the interpreter's own stack, never the host's).
pub(crate) const MAX_RECURSION_DEPTH: usize = 4096;

/// The type of one function: parameter and result types, `i`/`I`/`f`/`F`/`r`.
pub(crate) type Sig = (String, String);

/// A module compiled once; instantiate it as often as needed.
pub(crate) struct CompiledModule {
    engine: Engine,
    module: Module,
    /// Every import: module, name, and the function type (`None` for other kinds, with the kind).
    pub imports: Vec<(String, String, Result<Sig, &'static str>)>,
    /// Exported functions in export order, with their types.
    pub exports: Vec<(String, Sig)>,
    /// Whether the module exports a memory named `memory` or imports one.
    pub has_memory: bool,
}

fn letters(types: &[ValType]) -> String {
    types
        .iter()
        .map(|t| match t {
            ValType::I32 => 'i',
            ValType::I64 => 'I',
            ValType::F32 => 'f',
            ValType::F64 => 'F',
            _ => 'r',
        })
        .collect()
}

impl CompiledModule {
    /// Validate and compile `bytes`.
    pub fn new(bytes: &[u8]) -> Result<CompiledModule, String> {
        let mut config = Config::default();
        config
            .consume_fuel(true)
            .set_max_recursion_depth(MAX_RECURSION_DEPTH)
            // Eager: lazy translation charges the translation to the fuel of whichever VM first
            // calls a function, which made fuel reports depend on what ran before.
            .compilation_mode(CompilationMode::Eager);
        let engine = Engine::new(&config);
        let module = guarded(|| Module::new(&engine, bytes))?.map_err(|e| e.to_string())?;
        let imports = module
            .imports()
            .map(|i| {
                let ty = match i.ty() {
                    ExternType::Func(f) => Ok((letters(f.params()), letters(f.results()))),
                    ExternType::Memory(_) => Err("memory"),
                    ExternType::Table(_) => Err("table"),
                    ExternType::Global(_) => Err("global"),
                };
                (i.module().to_string(), i.name().to_string(), ty)
            })
            .collect::<Vec<_>>();
        let exports = module
            .exports()
            .filter_map(|e| match e.ty() {
                ExternType::Func(f) => Some((
                    e.name().to_string(),
                    (letters(f.params()), letters(f.results())),
                )),
                _ => None,
            })
            .collect();
        let has_memory = module
            .exports()
            .any(|e| e.name() == "memory" && matches!(e.ty(), ExternType::Memory(_)))
            || imports.iter().any(|(_, _, t)| *t == Err("memory"));
        Ok(CompiledModule {
            engine,
            module,
            imports,
            exports,
            has_memory,
        })
    }

    /// The type of the exported function `name`.
    pub fn export(&self, name: &str) -> Option<&Sig> {
        self.exports.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }
}

/// The memory cap, and whether a `memory.grow` hit it during the current callback.
struct Limiter {
    max_memory: usize,
}

/// What the store holds: the host state plus what the engine needs.
pub(crate) struct Data {
    pub host: HostState,
    limiter: Limiter,
    memory: Option<Memory>,
    alloc: Option<Func>,
}

impl ResourceLimiter for Data {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, LimiterError> {
        if desired > self.limiter.max_memory {
            self.host.memory_denied = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, LimiterError> {
        Ok(desired <= 1_000_000)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        100
    }

    fn memories(&self) -> usize {
        1
    }
}

/// A host call that ends the guest's execution.
#[derive(Debug)]
struct AbortError(Abort);

impl std::fmt::Display for AbortError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Abort::Exit(code) => write!(f, "proc_exit({code})"),
            Abort::Restricted(name) => write!(f, "restricted_callback: {name}"),
            Abort::Guest(fault) => write!(f, "{fault:?}"),
        }
    }
}

impl wasmi::errors::HostError for AbortError {}

struct CallerGuest<'a, 'b> {
    caller: &'a mut Caller<'b, Data>,
}

impl Guest for CallerGuest<'_, '_> {
    fn st(&mut self) -> &mut HostState {
        &mut self.caller.data_mut().host
    }

    fn read(&mut self, ptr: u64, len: u64) -> Option<Vec<u8>> {
        let memory = self.caller.data().memory?;
        let data = memory.data(&*self.caller);
        let end = ptr.checked_add(len)?;
        data.get(usize::try_from(ptr).ok()?..usize::try_from(end).ok()?)
            .map(<[u8]>::to_vec)
    }

    fn write(&mut self, ptr: u64, bytes: &[u8]) -> bool {
        let Some(memory) = self.caller.data().memory else {
            return false;
        };
        let data = memory.data_mut(&mut *self.caller);
        let Some(end) = ptr.checked_add(bytes.len() as u64) else {
            return false;
        };
        let (Ok(start), Ok(end)) = (usize::try_from(ptr), usize::try_from(end)) else {
            return false;
        };
        match data.get_mut(start..end) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                true
            }
            None => false,
        }
    }

    fn alloc(&mut self, size: u32) -> Result<Option<u32>, Abort> {
        let Some(func) = self.caller.data().alloc else {
            return Ok(None);
        };
        let mut out = [Val::I32(0)];
        if let Err(e) = func.call(&mut *self.caller, &[Val::I32(size as i32)], &mut out) {
            let denied = self.caller.data().host.memory_denied;
            return Err(Abort::Guest(classify(e, denied)));
        }
        match out[0] {
            Val::I32(0) => Ok(None),
            Val::I32(p) => Ok(Some(p as u32)),
            _ => Ok(None),
        }
    }
}

/// Turn an engine error into a [`Fault`].
fn classify(e: wasmi::Error, memory_denied: bool) -> Fault {
    if let Some(AbortError(abort)) = e.downcast_ref::<AbortError>() {
        return match abort {
            Abort::Exit(code) => Fault::Exit { code: *code },
            Abort::Restricted(name) => Fault::Trap {
                message: format!(
                    "restricted_callback: {name} may not be called while the VM starts (cpp-host allows only logging, args, environ, clocks, random and stdio there)"
                ),
            },
            Abort::Guest(fault) => fault.clone(),
        };
    }
    if let Some(code) = e.i32_exit_status() {
        return Fault::Exit { code };
    }
    match e.as_trap_code() {
        Some(wasmi::TrapCode::OutOfFuel) => Fault::OutOfFuel,
        _ if memory_denied => Fault::OutOfMemory {
            message: format!("memory.grow was refused at the memory cap, then: {e}"),
        },
        Some(wasmi::TrapCode::StackOverflow) => Fault::Trap {
            message: "call stack exhausted: recursion deeper than the host allows".into(),
        },
        _ => Fault::Trap {
            message: e.to_string(),
        },
    }
}

/// One instance with its store.
pub(crate) struct Vm {
    store: Store<Data>,
    instance: wasmi::Instance,
    /// Fuel the last call used.
    pub last_fuel: u64,
}

impl Vm {
    /// Link every function import to the host (the caller has checked the table), create the
    /// imported memory if any, and instantiate (running a wasm `start` function with `fuel`).
    pub fn instantiate(
        c: &CompiledModule,
        host: HostState,
        max_memory: usize,
        fuel: u64,
    ) -> Result<Vm, Fault> {
        let data = Data {
            host,
            limiter: Limiter { max_memory },
            memory: None,
            alloc: None,
        };
        let mut store = Store::new(&c.engine, data);
        store.limiter(|d| d as &mut dyn ResourceLimiter);
        let mut linker = <Linker<Data>>::new(&c.engine);
        for import in c.module.imports() {
            let (module, name) = (import.module().to_string(), import.name().to_string());
            match import.ty() {
                ExternType::Func(f) => {
                    let kind = if module == "env" {
                        abi::Module::Env
                    } else {
                        abi::Module::Wasi
                    };
                    let results = f.results().to_vec();
                    let leaked: &'static str = static_name(&name);
                    linker
                        .func_new(
                            &module,
                            &name,
                            f.clone(),
                            move |mut caller: Caller<'_, Data>, params: &[Val], out: &mut [Val]| {
                                let mut args = [0i64; 12];
                                for (slot, p) in args.iter_mut().zip(params) {
                                    *slot = match p {
                                        Val::I32(v) => *v as u32 as i64,
                                        Val::I64(v) => *v,
                                        _ => 0,
                                    };
                                }
                                let mut g = CallerGuest {
                                    caller: &mut caller,
                                };
                                let r = abi::call(
                                    &mut g,
                                    kind,
                                    leaked,
                                    &args[..params.len().min(args.len())],
                                )
                                .map_err(|a| wasmi::Error::host(AbortError(a)))?;
                                if let (Some(v), Some(slot)) = (r, out.first_mut()) {
                                    *slot = match results[0] {
                                        ValType::I64 => Val::I64(v),
                                        _ => Val::I32(v as i32),
                                    };
                                }
                                Ok(())
                            },
                        )
                        .map_err(|e| Fault::Trap {
                            message: e.to_string(),
                        })?;
                }
                ExternType::Memory(m) => {
                    let memory = Memory::new(&mut store, *m).map_err(|e| Fault::OutOfMemory {
                        message: format!("the imported memory cannot be created: {e}"),
                    })?;
                    linker
                        .define(&module, &name, memory)
                        .map_err(|e| Fault::Trap {
                            message: e.to_string(),
                        })?;
                    store.data_mut().memory = Some(memory);
                }
                _ => {
                    return Err(Fault::Trap {
                        message: format!("cannot link {module}.{name}"),
                    });
                }
            }
        }
        store.set_fuel(fuel).map_err(|e| Fault::Trap {
            message: e.to_string(),
        })?;
        let started = guarded(|| linker.instantiate_and_start(&mut store, &c.module))
            .map_err(|message| Fault::Trap { message })?;
        let instance = match started {
            Ok(i) => i,
            Err(e) => {
                let denied = store.data().host.memory_denied;
                return Err(match classify(e, denied) {
                    Fault::Trap { message } if message.contains("memory") && denied => {
                        Fault::OutOfMemory { message }
                    }
                    f => f,
                });
            }
        };
        if let Some(Extern::Memory(m)) = instance.get_export(&store, "memory") {
            store.data_mut().memory = Some(m);
        }
        let alloc = ["malloc", "proxy_on_memory_allocate"]
            .iter()
            .find_map(|n| instance.get_func(&store, n));
        store.data_mut().alloc = alloc;
        Ok(Vm {
            store,
            instance,
            last_fuel: 0,
        })
    }

    /// The host state, read only.
    pub fn host_ref(&self) -> &HostState {
        &self.store.data().host
    }

    /// The host state.
    pub fn host(&mut self) -> &mut HostState {
        &mut self.store.data_mut().host
    }

    /// Call the exported function `name` with i32 arguments (the export must take exactly that
    /// many i32s and return nothing or one i32) with a budget of `fuel`.
    pub fn call(&mut self, name: &str, args: &[i32], fuel: u64) -> Result<Option<i32>, Fault> {
        let func = self
            .instance
            .get_func(&self.store, name)
            .ok_or_else(|| Fault::Trap {
                message: format!("{name} is not exported"),
            })?;
        let ty = func.ty(&self.store);
        if ty.params().len() != args.len()
            || ty.params().iter().any(|t| *t != ValType::I32)
            || ty.results().len() > 1
        {
            return Err(Fault::Trap {
                message: format!("Bad function signature for: {name}"),
            });
        }
        let params: Vec<Val> = args.iter().map(|a| Val::I32(*a)).collect();
        let mut out: Vec<Val> = ty
            .results()
            .iter()
            .map(|t| Val::default_for_ty(*t))
            .collect();
        self.store.set_fuel(fuel).map_err(|e| Fault::Trap {
            message: e.to_string(),
        })?;
        self.store.data_mut().host.memory_denied = false;
        let r = match guarded(|| func.call(&mut self.store, &params, &mut out)) {
            Ok(r) => r,
            Err(message) => {
                return Err(Fault::Trap { message });
            }
        };
        self.last_fuel = fuel.saturating_sub(self.store.get_fuel().unwrap_or(0));
        match r {
            Ok(()) => Ok(match out.first() {
                Some(Val::I32(v)) => Some(*v),
                Some(Val::I64(v)) => Some(*v as i32),
                _ => None,
            }),
            Err(e) => Err(classify(e, self.store.data().host.memory_denied)),
        }
    }
}

/// Run `f`, turning a panic inside the engine into an error: wasmi 2.0.0 has been seen to panic
/// translating a module it had validated (`translator/func/stack/control.rs`, found by the
/// `host_calls` fuzz target; `src/run/testdata/wasmi-translator-panic.wasm`). A hostile module
/// must give a structured failure, not a crash. The VM that panicked is not used again (the
/// caller marks it failed).
fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!("the wasm engine (wasmi) panicked: {what}")
    })
}

/// Host function names as `'static` strings: the known names map to the table's literals, so
/// nothing leaks; an unknown name (never linked) maps to `"?"`.
fn static_name(name: &str) -> &'static str {
    known_names()
        .iter()
        .copied()
        .find(|k| *k == name)
        .unwrap_or("?")
}

/// Every host function name, for the fuzz seam.
pub(crate) fn known_names() -> &'static [&'static str] {
    crate::artifact::wasm::all_functions()
}
