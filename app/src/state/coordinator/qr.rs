//! The QR code of an invitation's link, drawn as SVG (the `qrcode` crate), so an admin can
//! hold the screen up to the new person's phone camera.

use qrcode::QrCode;
use qrcode::render::svg;

/// The `<svg>` element of a QR code for `text`; none when it does not fit in a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // The XML declaration would be text inside HTML: keep the element only.
    let start = image.find("<svg")?;
    Some(image[start..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_an_svg_qr_code() {
        let svg = qr_svg("https://kluis.example/activate?code=7KQM-3XWD-PT9A").expect("fits");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("#000000"));
        assert!(svg.trim_end().ends_with("</svg>"));
        // Far more than a QR code holds does not panic.
        assert_eq!(qr_svg(&"x".repeat(10_000)), None);
    }
}
