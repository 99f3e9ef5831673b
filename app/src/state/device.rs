//! A readable device name for the server's device list ("Android-telefoon · Chrome"), so
//! a service admin can tell devices apart when revoking one.

/// Describes the device from the browser's user agent string.
pub fn device_name(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let kind = if ua.contains("iphone") {
        "iPhone"
    } else if ua.contains("ipad") {
        "iPad"
    } else if ua.contains("android") && ua.contains("mobile") {
        "Android-telefoon"
    } else if ua.contains("android") {
        "Android-tablet"
    } else if ua.contains("windows") {
        "Windows-computer"
    } else if ua.contains("mac os") || ua.contains("macintosh") {
        "Mac"
    } else if ua.contains("cros") {
        "Chromebook"
    } else if ua.contains("linux") {
        "Linux-computer"
    } else {
        "Toestel"
    };
    // Order matters: Edge and Opera also say "chrome", Chrome also says "safari".
    let browser = if ua.contains("edg/") || ua.contains("edga/") || ua.contains("edgios/") {
        Some("Edge")
    } else if ua.contains("opr/") || ua.contains("opera") {
        Some("Opera")
    } else if ua.contains("samsungbrowser") {
        Some("Samsung Internet")
    } else if ua.contains("firefox/") || ua.contains("fxios/") {
        Some("Firefox")
    } else if ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/") {
        Some("Chrome")
    } else if ua.contains("safari/") {
        Some("Safari")
    } else {
        None
    };
    match browser {
        Some(browser) => format!("{kind} · {browser}"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn names_common_devices() {
        assert_eq!(
            device_name(
                "Mozilla/5.0 (Linux; Android 14; SM-A146P) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/124.0.0.0 Mobile Safari/537.36"
            ),
            "Android-telefoon · Chrome"
        );
        assert_eq!(
            device_name(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
            ),
            "iPhone · Safari"
        );
        assert_eq!(
            device_name(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"
            ),
            "Windows-computer · Edge"
        );
        assert_eq!(device_name(""), "Toestel");
    }
}
