//! Precompressed `.br`/`.gz` siblings, which the server sends as they are, and the sizes
//! `xtask web` reports.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{WasmOpt, WebBuild, list_files, write};
use crate::util::bytes;

/// Text files that get precompressed siblings.
const COMPRESSIBLE: &[&str] = &[
    "js", "mjs", "wasm", "css", "html", "json", "svg", "txt", "map",
];

fn is_compressible(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| COMPRESSIBLE.contains(&ext))
}

/// Writes `<file>.br` and `<file>.gz` next to every compressible file.
pub fn precompress_tree(dir: &Path, brotli_quality: u32) -> Result<()> {
    let files: Vec<String> = list_files(dir)?
        .into_iter()
        .filter(|file| is_compressible(file))
        .collect();
    // Compress files in parallel: brotli at quality 11 on the wasm dominates.
    let errors: Vec<anyhow::Error> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .iter()
            .map(|file| {
                scope.spawn(move || -> Result<()> {
                    let path = dir.join(file);
                    let content = fs::read(&path)?;
                    write(&sibling(&path, "gz"), gzip(&content)?)?;
                    write(&sibling(&path, "br"), brotli(&content, brotli_quality)?)?;
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|handle| match handle.join() {
                Ok(Ok(())) => None,
                Ok(Err(error)) => Some(error),
                Err(_) => Some(anyhow::anyhow!("compression thread panicked")),
            })
            .collect()
    });
    if let Some(error) = errors.into_iter().next() {
        return Err(error);
    }
    Ok(())
}

fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

pub fn gzip(content: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(content)?;
    Ok(encoder.finish()?)
}

pub fn brotli(content: &[u8], quality: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
        writer.write_all(content)?;
        writer.flush()?;
    }
    Ok(out)
}

/// Raw, gzip and brotli sizes of one file (from its precompressed siblings when present).
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

pub fn sizes(path: &Path) -> Result<Sizes> {
    let raw = fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    let compressed = |extension: &str, make: &dyn Fn(&[u8]) -> Result<Vec<u8>>| -> Result<u64> {
        let sibling = sibling(path, extension);
        if sibling.exists() {
            Ok(fs::metadata(&sibling)?.len())
        } else {
            Ok(make(&fs::read(path)?)?.len() as u64)
        }
    };
    Ok(Sizes {
        raw,
        gzip: compressed("gz", &|content| gzip(content))?,
        brotli: compressed("br", &|content| brotli(content, 11))?,
    })
}

/// Prints the size table: the app's wasm + js (what every start loads), then the PIN worker
/// (loaded at the first unlock), each with its total.
pub fn print_sizes(build: &WebBuild) -> Result<()> {
    println!(
        "\n    {:<34} {:>10} {:>10} {:>10}",
        if build.dev {
            "file (dev build)"
        } else {
            "file"
        },
        "raw",
        "gzip",
        "brotli"
    );
    print_group(&[&build.wasm, &build.js], "wasm + js")?;
    let [kdf_wasm, kdf_js, kdf_script] = &build.kdf_worker;
    print_group(&[kdf_wasm, kdf_js, kdf_script], "PIN worker (at unlock)")?;
    match &build.wasm_opt {
        WasmOpt::Ran => println!("    (wasm optimised with wasm-opt -Oz)"),
        WasmOpt::SkippedDev => println!("    (dev build: not optimised)"),
        WasmOpt::Missing(path) => println!(
            "    (wasm-opt not found at {}: sizes are before wasm-opt)",
            path.display()
        ),
    }
    Ok(())
}

fn print_group(paths: &[&PathBuf], total_name: &str) -> Result<()> {
    let mut rows: BTreeMap<String, Sizes> = BTreeMap::new();
    for path in paths {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        rows.insert(name, sizes(path)?);
    }
    let total = Sizes {
        raw: rows.values().map(|size| size.raw).sum(),
        gzip: rows.values().map(|size| size.gzip).sum(),
        brotli: rows.values().map(|size| size.brotli).sum(),
    };
    for (name, size) in rows
        .iter()
        .chain(std::iter::once((&total_name.to_string(), &total)))
    {
        println!(
            "    {:<34} {:>10} {:>10} {:>10}",
            name,
            bytes(size.raw),
            bytes(size.gzip),
            bytes(size.brotli)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_round_trips() {
        let text = b"Kluis Kluis Kluis Kluis Kluis Kluis".repeat(20);
        let gz = gzip(&text).expect("gzip");
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut decoded)
            .expect("gunzip");
        assert_eq!(decoded, text);
        let br = brotli(&text, 11).expect("brotli");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut decoded).expect("unbrotli");
        assert_eq!(decoded, text);
        assert!(br.len() < text.len());
    }

    #[test]
    fn only_text_files_are_precompressed() {
        assert!(is_compressible("kluis-0123_bg.wasm"));
        assert!(is_compressible("snippets/x/inline0.js"));
        assert!(!is_compressible("icons/icon-192.png"));
        assert!(!is_compressible("index.html.br"));
    }
}
