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
    let (messages, _) = sink_on(listener).await;
    (port, messages)
}

/// Accepts mail on `listener` and keeps each message's raw text.
async fn sink_on(listener: tokio::net::TcpListener) -> (Arc<Mutex<Vec<String>>>, ()) {
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
    (messages, ())
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

/// Waits until the sink holds `n` messages (the sender looks every 2 s).
async fn wait_for(messages: &Arc<Mutex<Vec<String>>>, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let got = messages.lock().unwrap().clone();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("expected {n} messages, got {:?}", messages.lock().unwrap());
}

fn addressed_to<'a>(messages: &'a [String], address: &str) -> Vec<&'a String> {
    messages
        .iter()
        .filter(|m| m.contains(&format!("<{address}>")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_the_coordinator_and_the_owning_company_once_and_are_retried() {
    use crate::common::Device;
    use crate::common::lifecycle::{record, scope_of};
    use kluis_domain::ids::SafeId;
    use kluis_domain::model::DoorProblem;
    use kluis_domain::schema::DeviceEvent;
    use kluis_domain::time::Timestamp;

    // The relay is down at first: a port that was free a moment ago.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    // Monday 7 December 2026.
    let clock = kluis_sync_server::Clock::starting_on("2026-12-07".parse().unwrap());
    let (server, state) = TestServer::start_with_state_at(dir.path(), clock, |s| {
        s.smtp = Some(smtp(port));
        s.mail_notifications = true;
        s.mail_retry = std::time::Duration::from_secs(1);
    })
    .await;
    common::sql(dir.path(), |c| {
        c.execute_batch(
            "UPDATE people SET email = 'els@gent.be' WHERE login = 'coordinator';
             UPDATE people SET email = 'tom@woningent.be' WHERE login = 'staff.woningent';
             UPDATE people SET email = 'ann@gentsehaard.be' WHERE login = 'staff.gentsehaard';",
        )
        .unwrap();
    });

    // A carer at a WoninGent block: the code does not open, and the key is gone.
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let scope = scope_of(&carer);
    let (safe, address): (SafeId, String) = common::sql(dir.path(), |c| {
        let mut stmt = c
            .prepare(
                "SELECT s.id, b.street FROM safes s JOIN buildings b ON b.id = s.building_id
                 JOIN organisations o ON o.id = b.owner_org_id WHERE o.name = 'WoninGent'",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .map(|(id, street)| (id.parse::<SafeId>().unwrap(), street))
            .find(|(id, _)| scope.safes.contains_key(id))
            .unwrap()
    });
    for (seq, problem) in [(1, DoorProblem::CodeFails), (2, DoorProblem::KeyMissing)] {
        let event = DeviceEvent::ProblemReported {
            safe,
            problem,
            note: String::new(),
            at: Timestamp::from_millis(1_700_000_000_000),
        };
        record(&mut carer, event, seq);
    }
    carer.sync(&server).await.ok().unwrap();
    carer.sync(&server).await.ok().unwrap();
    let waiting = common::count(
        dir.path(),
        "SELECT COUNT(*) FROM notifications WHERE sent_at IS NULL",
    );
    assert_eq!(waiting, 2, "one for the coordinator, one for WoninGent");
    // The sender tries and fails: the notices wait with the reason.
    for _ in 0..100 {
        let failed = common::count(
            dir.path(),
            "SELECT COUNT(*) FROM notifications WHERE attempts >= 1 AND last_error <> '' AND sent_at IS NULL",
        );
        if failed == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // The relay comes up: the retry delivers both, once.
    let (messages, _sink) = {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        sink_on(listener).await
    };
    let sent = wait_for(&messages, 2).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let sent_after = messages.lock().unwrap().clone();
    assert_eq!(sent_after.len(), 2, "nothing is sent twice: {sent_after:?}");
    let to_els = addressed_to(&sent, "els@gent.be");
    assert_eq!(to_els.len(), 1);
    let text = unquote(to_els[0]);
    assert!(text.contains("de code opent de kluis niet"), "{text}");
    assert!(
        text.contains("https://kluis.gent.be/desk/reports"),
        "{text}"
    );
    let to_tom = addressed_to(&sent, "tom@woningent.be");
    assert_eq!(to_tom.len(), 1);
    let text = unquote(to_tom[0]);
    assert!(
        text.contains("nieuwe herstelling voor WoninGent: de sleutel is weg"),
        "{text}"
    );
    assert!(text.contains("https://kluis.gent.be/company"), "{text}");
    assert!(addressed_to(&sent, "ann@gentsehaard.be").is_empty());
    for m in &sent {
        assert!(
            !unquote(m).contains(&address),
            "no address in a notice: {m}"
        );
    }
    let tries: i64 = common::count(
        dir.path(),
        "SELECT MIN(attempts) FROM notifications WHERE sent_at IS NOT NULL",
    );
    assert!(tries >= 2, "the first try failed, a retry sent it");

    // A leak reported last Tuesday is due tomorrow, the next working day: one notice to the
    // coordinator, however often the maintenance pass runs.
    common::sql(dir.path(), |c| {
        c.execute(
            "UPDATE safes SET leak_reported_on = '2026-12-01' WHERE id = ?1",
            [safe.to_string()],
        )
        .unwrap();
    });
    let (_, due) = get_json(
        &server,
        &login(&server, "coordinator").await.token,
        "/api/admin/due",
    )
    .await;
    assert!(due.to_string().contains("2026-12-08"), "{due}");
    for _ in 0..3 {
        kluis_sync_server::run_maintenance(&state, state.now())
            .await
            .unwrap();
    }
    let sent = wait_for(&messages, 3).await;
    let deadline: Vec<_> = addressed_to(&sent, "els@gent.be")
        .into_iter()
        .map(|m| unquote(m))
        .filter(|m| m.contains("de volgende werkdag"))
        .collect();
    assert_eq!(deadline.len(), 1, "{sent:?}");
    assert!(deadline[0].contains("08/12/2026"), "{}", deadline[0]);
    assert!(deadline[0].contains("https://kluis.gent.be/desk/due"));
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(messages.lock().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_setting_no_notice_is_written() {
    let (port, _messages) = smtp_sink().await;
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |s| s.smtp = Some(smtp(port))).await;
    login(&server, "coordinator").await;
    common::sql(dir.path(), |c| {
        c.execute(
            "UPDATE people SET email = 'els@gent.be' WHERE login = 'coordinator'",
            [],
        )
        .unwrap();
    });
    let mut carer = crate::common::Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let safe = *crate::common::lifecycle::scope_of(&carer)
        .safes
        .keys()
        .next()
        .unwrap();
    let event = kluis_domain::schema::DeviceEvent::ProblemReported {
        safe,
        problem: kluis_domain::model::DoorProblem::CodeFails,
        note: String::new(),
        at: kluis_domain::time::Timestamp::from_millis(1_700_000_000_000),
    };
    crate::common::lifecycle::record(&mut carer, event, 1);
    carer.sync(&server).await.ok().unwrap();
    assert_eq!(
        common::count(dir.path(), "SELECT COUNT(*) FROM door_reports"),
        1
    );
    assert_eq!(
        common::count(dir.path(), "SELECT COUNT(*) FROM notifications"),
        0
    );
}

#[test]
fn notices_need_a_relay() {
    let settings = kluis_sync_server::Settings {
        mail_notifications: true,
        ..kluis_sync_server::Settings::default()
    };
    assert!(settings.validate().is_err());
}
