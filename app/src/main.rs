//! Entry point of the web app (`kluis-app.wasm`). All code is in the library (`lib.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    kluis_app::launch();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "kluis-app is a web app: build it with `cargo xtask web` and serve dist/web \
         (or run everything with `cargo xtask demo`)."
    );
    std::process::exit(2);
}
