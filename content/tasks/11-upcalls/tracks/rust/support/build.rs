//! Links the lab's C library into the crate. The checker compiles upcall.c into libupcall.a
//! (`cc -c -fPIC upcall.c && ar rcs libupcall.a upcall.o`) before it runs Cargo; this script
//! only tells rustc where that archive is. (A crate of your own would usually compile the C file
//! here with the `cc` crate: `cc::Build::new().file("upcall.c").compile("upcall");`.)
fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("Cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=static=upcall");
    println!("cargo:rerun-if-changed=libupcall.a");
}
