//! Invitations by e-mail through a real SMTP exchange: a small SMTP sink on 127.0.0.1 takes
//! what the server sends. A service admin invites a carer with an address: the answer says it
//! was e-mailed and the message holds the code and the link; a relay that does not answer is
//! reported, and the code still works; without an address nothing is sent.

use crate::common;

use std::sync::{Arc, Mutex};

use crate::common::{TestServer, get_json, login, send_json};
use kluis_sync_server::mail::SmtpSettings;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Accepts mail on a free port and keeps each message's raw text.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = Arc::new(Mutex::new(Vec::new()));
    let kept = messages.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            kept.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, messages)
}

/// A quoted-printable body as text (soft line breaks joined, `=XX` decoded).
fn unquote(raw: &str) -> String {
    let joined = raw.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn smtp(port: u16) -> SmtpSettings {
    SmtpSettings {
        url: format!("smtp://127.0.0.1:{port}"),
        user: None,
        password: None,
        from: "Kluis <kluis@gent.be>".into(),
        public_url: "https://kluis.gent.be".into(),
    }
}

async fn invite(server: &TestServer, login_name: &str, email: &str) -> Value {
    let admin = login(server, "admin.wgk").await.token;
    let (_, me) = get_json(server, &admin, "/api/me").await;
    let (status, invitation) = send_json(
        server,
        Method::POST,
        &admin,
        "/api/admin/people",
        &json!({"org_id": me["organisation"]["id"], "name": "Nora Nieuw", "login": login_name,
                "email": email, "role": "carer", "valid_until": null}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{invitation}");
    invitation
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_goes_out_by_e_mail_with_its_code_and_link() {
    let (port, messages) = smtp_sink().await;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |s| s.smtp = Some(smtp(port))).await;

    let invitation = invite(&server, "nora.nieuw", "nora@example.org").await;
    assert_eq!(
        invitation["email"],
        json!({"kind": "sent", "to": "nora@example.org"})
    );
    let code = invitation["code"].as_str().unwrap();
    let sent = messages.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let text = unquote(&sent[0]);
    assert!(
        text.contains("To: \"Nora Nieuw\" <nora@example.org>")
            || text.contains("To: Nora Nieuw <nora@example.org>"),
        "{text}"
    );
    assert!(text.contains("From: Kluis <kluis@gent.be>"), "{text}");
    assert!(
        text.contains(&format!("https://kluis.gent.be/activate?code={code}")),
        "{text}"
    );
    assert!(text.contains("Gebruikersnaam: nora.nieuw"), "{text}");

    // Without an address nothing is sent.
    let quiet = invite(&server, "zonder.adres", "").await;
    assert_eq!(quiet["email"]["kind"], "not_sent");
    assert_eq!(messages.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_does_not_answer_is_reported_and_the_code_still_works() {
    // A port that was free a moment ago: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |s| s.smtp = Some(smtp(port))).await;
    let invitation = invite(&server, "nora.nieuw", "nora@example.org").await;
    assert_eq!(
        invitation["email"],
        json!({"kind": "failed", "to": "nora@example.org"})
    );
    let resp = common::http()
        .post(server.url("/api/activate"))
        .json(&json!({"code": invitation["code"], "password": "paard-batterij-nietje-zon"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        resp.text().await.unwrap()
    );
}
