//! The wasm entry point: everything lives in the library so browser tests can mount parts.
fn main() {
    annotask::start();
}
