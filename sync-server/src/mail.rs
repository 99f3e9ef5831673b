//! E-mail of invitations, when an SMTP relay is configured (off by default): the activation
//! code and its link go to the person's address, besides being shown once to the admin. A
//! failed send is reported to the admin, who still has the code to hand over.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::error::ServerError;

/// How long one send may take before the admin is told it failed: under the app's own
/// request timeout (15 s), so the admin hears "failed", not "no answer", and keeps the code.
const SEND_TIMEOUT: Duration = Duration::from_secs(8);

/// Where and as whom invitations are sent. The password never reaches `Debug` or a log.
#[derive(Clone)]
pub struct SmtpSettings {
    /// `smtps://host[:port]` (TLS), `smtp://host:port?tls=required` (STARTTLS), or plain
    /// `smtp://localhost:port` for a relay on the same machine.
    pub url: String,
    pub user: Option<String>,
    pub password: Option<String>,
    /// "Kluis <kluis@gent.be>".
    pub from: String,
    /// The address people open Kluis on, e.g. `https://kluis.gent.be`, for the link.
    pub public_url: String,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("from", &self.from)
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl SmtpSettings {
    /// Refuses what would send codes in the clear across a network, or cannot be an address.
    pub fn validate(&self) -> Result<(), ServerError> {
        let bad = |why: &str| Err(ServerError::Config(format!("smtp: {why}")));
        let url = self.url.trim();
        let plain = url.strip_prefix("smtp://");
        if let Some(rest) = plain {
            let host = rest.split([':', '/', '?']).next().unwrap_or("");
            let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
            if !local && !rest.contains("tls=required") {
                return bad("a relay on another machine needs smtps:// or ?tls=required");
            }
        } else if !url.starts_with("smtps://") {
            return bad("the URL starts with smtps:// or smtp://");
        }
        if self.from.parse::<Mailbox>().is_err() {
            return bad("smtp_from is not an e-mail address");
        }
        if !(self.public_url.starts_with("https://") || self.public_url.starts_with("http://")) {
            return bad("public_url is the address people open Kluis on, with https://");
        }
        Ok(())
    }
}

/// The configured relay.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

/// What an invitation e-mail says.
pub struct InvitationMail<'a> {
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub login: &'a str,
    pub code: &'a str,
    /// "31/12/2026 om 14:05".
    pub expires: &'a str,
}

impl Mailer {
    pub fn new(settings: &SmtpSettings) -> Result<Mailer, ServerError> {
        settings.validate()?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.url.trim())
            .map_err(|e| ServerError::Config(format!("smtp url: {e}")))?
            .timeout(Some(SEND_TIMEOUT));
        if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: settings
                .from
                .parse()
                .map_err(|_| ServerError::Config("smtp_from".into()))?,
            public_url: settings.public_url.trim_end_matches('/').to_string(),
        })
    }

    /// The text of an invitation, in Dutch with English below (the person has not chosen a
    /// language yet).
    pub fn invitation_text(&self, m: &InvitationMail<'_>) -> String {
        let link = format!("{}/activate?code={}", self.public_url, m.code);
        format!(
            "Dag {name},\n\n\
             U hebt een account in Kluis, de sleutelkluizen van de thuiszorg.\n\
             Gebruikersnaam: {login}\n\
             Open deze link op uw telefoon en kies uw wachtwoord en pincode:\n{link}\n\
             Of geef daar deze activatiecode in: {code}\n\
             De code werkt één keer, tot {expires}. Geef ze aan niemand door.\n\n\
             —\n\n\
             You have an account in Kluis. Username: {login}. Open the link above on your phone \
             and choose your password and PIN, or enter the activation code {code}. It works \
             once, until {expires}. Do not pass it on.\n",
            name = m.to_name,
            login = m.login,
            code = m.code,
            expires = m.expires,
        )
    }

    /// Sends one invitation; an error says why in words for the log, never the code.
    pub async fn send_invitation(&self, m: &InvitationMail<'_>) -> Result<(), ServerError> {
        self.send(
            m.to_name,
            m.to_address,
            "Uw account in Kluis / Your Kluis account",
            self.invitation_text(m),
        )
        .await
    }

    /// The address of a screen of Kluis, for a link in a message.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Sends one plain-text message; an error says why in words for the log.
    pub async fn send(
        &self,
        to_name: &str,
        to_address: &str,
        subject: &str,
        body: String,
    ) -> Result<(), ServerError> {
        let to: Mailbox = format!("{} <{}>", to_name.replace(['<', '>', '"'], ""), to_address)
            .parse()
            .or_else(|_| to_address.parse())
            .map_err(|_| ServerError::Invalid("the person's e-mail address".into()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| ServerError::Invalid(format!("e-mail: {e}")))?;
        tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message))
            .await
            .map_err(|_| ServerError::Task("the mail relay did not answer in time".into()))?
            .map_err(|e| ServerError::Task(format!("the mail relay refused: {e}")))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> SmtpSettings {
        SmtpSettings {
            url: url.into(),
            user: Some("kluis".into()),
            password: Some("geheim-wachtwoord".into()),
            from: "Kluis <kluis@gent.be>".into(),
            public_url: "https://kluis.gent.be".into(),
        }
    }

    #[test]
    fn codes_never_travel_in_the_clear_to_another_machine() {
        assert!(settings("smtps://mail.gent.be").validate().is_ok());
        assert!(
            settings("smtp://mail.gent.be:587?tls=required")
                .validate()
                .is_ok()
        );
        assert!(settings("smtp://localhost:2525").validate().is_ok());
        assert!(settings("smtp://mail.gent.be:25").validate().is_err());
        assert!(settings("http://mail.gent.be").validate().is_err());
        let mut no_from = settings("smtps://mail.gent.be");
        no_from.from = "kluis".into();
        assert!(no_from.validate().is_err());
        let dbg = format!("{:?}", settings("smtps://mail.gent.be"));
        assert!(!dbg.contains("geheim"), "{dbg}");
    }
}
