// The demo admin's bearer token, as the bench scripts log in
// (ADMIN_EMAIL / ADMIN_PASSWORD, the demo seed's by default).
export const ADMIN_EMAIL = process.env.ADMIN_EMAIL || "admin@example.com"
export const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || "supersecret"

/** Logs in through Medusa's emailpass route; returns the Authorization header. */
export async function adminLogin(base) {
  const res = await fetch(`${base}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  })
  if (!res.ok) throw new Error(`login failed: ${res.status}`)
  return { authorization: `Bearer ${(await res.json()).token}` }
}
