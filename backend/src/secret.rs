//! The server's secret: 32 random bytes in a file (`--secret-file`,
//! created on first start, readable by the owner only). Wave invitations'
//! tokens and opt-out signatures are derived from it, so neither token nor
//! secret is in the database. It is configuration: loaded once at start and
//! handed to whoever needs it (application state, mailer, CLI), never read
//! from a process-wide cell.

use std::sync::Arc;

use crate::Error;

/// The loaded secret (cheap to clone; never printed).
#[derive(Clone)]
pub struct ServerSecret(Arc<[u8]>);

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(***)")
    }
}

impl ServerSecret {
    /// Reads the secret from `path`, creating it (mode 0600) if missing.
    pub fn load(path: &std::path::Path) -> Result<ServerSecret, Error> {
        let path = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes)
                    .map_err(|e| Error::Config(format!("no random source: {e}")))?;
                let text = hex::encode(bytes);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                use std::io::Write;
                options
                    .open(&path)
                    .and_then(|mut f| f.write_all(text.as_bytes()))
                    .map_err(Error::io(format!("creating the secret {path}")))?;
                text
            }
            Err(e) => return Err(Error::io(format!("reading the secret {path}"))(e)),
        };
        let bytes = hex::decode(text.trim())
            .map_err(|e| Error::Config(format!("the secret in {path} is not hex: {e}")))?;
        if bytes.len() < 32 {
            return Err(Error::Config(format!(
                "the secret in {path} is shorter than 32 bytes"
            )));
        }
        Ok(ServerSecret(bytes.into()))
    }

    /// The secret's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The signature of a contact's opt-out link.
pub fn opt_out_signature(secret: &ServerSecret, contact_id: i32) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("optout:{contact_id}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}
