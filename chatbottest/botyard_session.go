package chatbottest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// byJWTHeader is the header of every session token: HS256, as the real
// server signs them.
var byJWTHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// byClaims are the claims of a session token: the real server's id,
// nickname, exp and iat (Unix seconds), in the order its encoder writes
// them, plus jti. The real server's tokens for one user repeat within a
// second; jti, a counter, makes each one the fake issues differ, so that
// a test can tell a re-issued token from the one it sent.
type byClaims struct {
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	ID       string `json:"id"`
	JTI      string `json:"jti"`
	Nickname string `json:"nickname"`
}

// issueToken sets a new session cookie for a user, as the real server
// does on login and on every authenticated response.
func (b *Botyard) issueToken(w http.ResponseWriter, userID, nickname string) {
	now := time.Now()
	b.mu.Lock()
	b.state.seq++
	claims := byClaims{
		Exp: now.Add(b.cfg.tokenLifetime).Unix(), Iat: now.Unix(),
		ID: userID, JTI: strconv.FormatUint(b.state.seq, 10), Nickname: nickname,
	}
	b.mu.Unlock()
	payload, _ := json.Marshal(claims)
	signed := byJWTHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	token := signed + "." + base64.RawURLEncoding.EncodeToString(b.sign(signed))
	expires := time.Unix(claims.Exp, 0).UTC().Format(http.TimeFormat)
	w.Header().Add("Set-Cookie", "token="+token+"; expires="+expires+"; path=/; SameSite=Lax")
}

// sign is the HS256 signature of a token's "header.payload".
func (b *Botyard) sign(signed string) []byte {
	m := hmac.New(sha256.New, b.cfg.sessionKey)
	m.Write([]byte(signed))
	return m.Sum(nil)
}

// authenticate checks the "token" cookie (401 when missing, forged or
// expired) and re-issues it: the new cookie goes out with whatever the
// handler answers, errors included.
func (b *Botyard) authenticate(w http.ResponseWriter, r *http.Request, call *byCall) bool {
	claims, ok := b.verify(r)
	if !ok {
		b.writeError(w, http.StatusUnauthorized, "User is unauthorized.")
		return false
	}
	call.userID = claims.ID
	b.issueToken(w, claims.ID, claims.Nickname)
	return true
}

// verify reads the session token: an HS256 JWT signed with the fake's key
// (any other algorithm, "none" included, is refused) whose exp has not
// come yet.
func (b *Botyard) verify(r *http.Request) (byClaims, bool) {
	var claims byClaims
	c, err := r.Cookie("token")
	if err != nil {
		return claims, false
	}
	signed, sig, ok := cutLast(c.Value, ".")
	if !ok {
		return claims, false
	}
	header, payload, ok := strings.Cut(signed, ".")
	if !ok {
		return claims, false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if raw, err := base64.RawURLEncoding.DecodeString(header); err != nil || json.Unmarshal(raw, &h) != nil || h.Alg != "HS256" {
		return claims, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, b.sign(signed)) {
		return claims, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(raw, &claims) != nil {
		return claims, false
	}
	return claims, time.Now().Unix() < claims.Exp
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
