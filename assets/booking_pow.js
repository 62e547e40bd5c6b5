// Proof of work of the booking form (ALTCHA v1, SHA-256), solved in the browser; no third-party calls.
// The server signs a challenge: find n in [0, maxnumber] with SHA-256(salt + n) == challenge.
// Returns the base64 JSON payload the server verifies (services/booking/limits.py), or "" if unsolved.
window.bookingProofOfWork = async function (c) {
  const encoder = new TextEncoder();
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  for (let n = 0; n <= c.maxnumber; n++) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(c.salt + n));
    if (hex(digest) === c.challenge) {
      const payload = { algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt,
                        signature: c.signature };
      return btoa(JSON.stringify(payload));
    }
  }
  return "";
};
