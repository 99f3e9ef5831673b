//! Argon2id's memory kept between hashes. A server verifying sign-ins on a few fixed worker
//! threads reuses one workspace per thread instead of allocating 19 MiB per attempt, so its
//! memory stays the same however many people sign in; the memory is wiped after each use.

use argon2::Block;
use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Params};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{CryptoError, Result};
use crate::kdf::{KdfParams, argon2_for};
use crate::keys::KEY_LEN;

#[derive(Default)]
pub struct PasswordWorkspace {
    blocks: Vec<Block>,
}

impl std::fmt::Debug for PasswordWorkspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PasswordWorkspace({} KiB)", self.blocks.len())
    }
}

impl PasswordWorkspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes held between uses.
    pub fn held_bytes(&self) -> usize {
        self.blocks.len() * Block::SIZE
    }

    fn blocks(&mut self, n: usize) -> &mut [Block] {
        if self.blocks.len() < n {
            self.blocks.resize(n, Block::new());
        }
        &mut self.blocks[..n]
    }

    /// [`crate::verify_password`] in this workspace: the same checks of the stored string and
    /// the same answer, the output compared in constant time.
    ///
    /// # Errors
    /// As [`crate::verify_password`].
    pub fn verify(&mut self, phc: &str, password: &str) -> Result<bool> {
        let bad = |m: &str| CryptoError::PasswordHash(m.to_owned());
        let hash = PasswordHash::new(phc).map_err(|_| bad("malformed password hash"))?;
        if hash.algorithm != Algorithm::Argon2id.ident() {
            return Err(bad("password hash is not argon2id"));
        }
        let (Some(salt), Some(expected)) = (hash.salt, hash.hash.as_ref()) else {
            return Err(bad("password hash has no salt or no output"));
        };
        if expected.as_bytes().len() != KEY_LEN {
            return Err(bad("password hash output is truncated"));
        }
        let params =
            Params::try_from(&hash).map_err(|_| bad("malformed password hash parameters"))?;
        crate::password::check_stored_costs(&params)?;
        let argon2 = argon2_for(params.m_cost(), params.t_cost(), params.p_cost())?;
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        let n = argon2.params().block_count();
        let done = argon2.hash_password_into_with_memory(
            password.as_bytes(),
            salt.as_ref(),
            out.as_mut_slice(),
            &mut *self.blocks(n),
        );
        self.wipe(n);
        done.map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
        Ok(constant_time_eq(out.as_slice(), expected.as_bytes()))
    }

    /// A new Argon2id PHC string for `password`, as [`crate::hash_password`] makes.
    ///
    /// # Errors
    /// As [`crate::hash_password`].
    pub fn hash(&mut self, password: &str) -> Result<String> {
        let params = KdfParams::recommended()?;
        let argon2 = argon2_for(params.m_cost_kib, params.t_cost, params.p_cost)?;
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        let n = argon2.params().block_count();
        let done = argon2.hash_password_into_with_memory(
            password.as_bytes(),
            &params.salt,
            out.as_mut_slice(),
            &mut *self.blocks(n),
        );
        self.wipe(n);
        done.map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
        crate::password::phc_string(&params, out.as_slice())
    }

    fn wipe(&mut self, n: usize) {
        for b in &mut self.blocks[..n] {
            b.zeroize();
        }
    }
}

impl Drop for PasswordWorkspace {
    fn drop(&mut self) {
        for b in &mut self.blocks {
            b.zeroize();
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_workspace_agrees_with_the_allocating_functions_and_is_reused() {
        let mut ws = PasswordWorkspace::new();
        let stored = crate::hash_password("correct horse battery").unwrap();
        assert!(ws.verify(&stored, "correct horse battery").unwrap());
        assert!(!ws.verify(&stored, "correct horse batterz").unwrap());
        let held = ws.held_bytes();
        assert_eq!(held, 19 * 1024 * 1024);
        let made = ws.hash("another passphrase").unwrap();
        assert!(crate::verify_password(&made, "another passphrase").unwrap());
        assert!(!crate::verify_password(&made, "another passphrasf").unwrap());
        assert_eq!(ws.held_bytes(), held, "the same memory, not more");
        assert!(ws.blocks.iter().all(|b| b.as_ref().iter().all(|w| *w == 0)));
        assert!(
            ws.verify("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$", "x")
                .is_err()
        );
        assert!(ws
            .verify(
                "$argon2id$v=19$m=4000000,t=2,p=1$AN1CBcl8Gns5ALxT+DoZLQ$pny2vIGW+DBvo9Qql2li01X6MNEp/KYKpCpI9Kjyt6w",
                "x"
            )
            .is_err());
    }
}
