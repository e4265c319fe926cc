//! Links the lab's C library. The checker compiles ctx.c before it runs Cargo, twice: into
//! libctx.a for the normal build and, with clang -fsanitize=address, into libctx_asan.a for the
//! AddressSanitizer build; CTX_LIB names the one to link. (A -sys crate of your own would usually
//! compile the C file here with the `cc` crate.)
fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("Cargo sets CARGO_MANIFEST_DIR");
    let lib = std::env::var("CTX_LIB").unwrap_or_else(|_| "ctx".to_string());
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static={lib}");
    println!("cargo:rerun-if-env-changed=CTX_LIB");
    println!("cargo:rerun-if-changed=lib{lib}.a");
}
