//! Compiles kaiden's MYT `.proto` files with protox (a protobuf compiler in
//! Rust, so no system `protoc` is needed) and generates prost messages and
//! tonic clients and servers from them.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "proto/cards.proto",
        "proto/chunithm.proto",
        "proto/maimai.proto",
        "proto/ongeki.proto",
        "proto/wacca.proto",
    ];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let fds = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .build_transport(false)
        .message_attribute(".", "#[derive(serde::Serialize, serde::Deserialize)]")
        .message_attribute(".", "#[serde(rename_all = \"camelCase\", default)]")
        .compile_fds(fds)?;
    Ok(())
}
