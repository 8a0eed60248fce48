//! A bench-only page: mounts annotask's own components (the same code the app ships, built
//! with the same release profile) with synthetic data and no sign-in, so `benches/app.mjs`
//! can time them in the browser. Only the mounting is here; the timing is in the script.
//!
//! Why a harness rather than going through the real app: the filter builder's render of a
//! 200-condition query and the picker's keystrokes are what is measured, and mounting the
//! components directly measures exactly them (no network, no sign-in, no form around them),
//! the same way the react-querybuilder peer is mounted on its page.
//!
//! JavaScript reaches these through `window.wasmBindings` (trunk exposes the exports there).

#[cfg(target_arch = "wasm32")]
mod harness;

fn main() {
    #[cfg(target_arch = "wasm32")]
    harness::start();
}
