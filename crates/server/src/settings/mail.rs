//! How mail goes out: the transport, and the SMTP URL it needs.

use super::MailTransport;
use super::reader::Reader;
use secrecy::SecretString;

impl Reader {
    pub(super) fn mail_transport(&mut self) -> MailTransport {
        match self.raw("BILIM_MAIL_TRANSPORT") {
            None | Some("file") => MailTransport::File,
            Some("smtp") => MailTransport::Smtp,
            Some("log") => MailTransport::Log,
            Some(_) => {
                self.fail("BILIM_MAIL_TRANSPORT", "expected file, smtp or log");
                MailTransport::File
            }
        }
    }

    pub(super) fn smtp_url(&mut self, mail_transport: MailTransport) -> Option<SecretString> {
        let smtp_url = self
            .raw("BILIM_SMTP_URL")
            .map(|v| SecretString::from(v.to_owned()));
        if mail_transport == MailTransport::Smtp && smtp_url.is_none() {
            self.fail("BILIM_SMTP_URL", "required when BILIM_MAIL_TRANSPORT=smtp, e.g. smtps://user:pass@smtp.example.uz:465");
        }
        smtp_url
    }
}
