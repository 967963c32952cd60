package chatbottest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// byClaims is the content of a fake session token.
type byClaims struct {
	UserID string `json:"id"`
	Exp    int64  `json:"exp"` // unix milliseconds
	Nonce  uint64 `json:"n"`   // makes every re-issued token different
}

// issueToken sets a new session cookie for userID, as the real server does
// on login and on every authenticated response.
func (b *Botyard) issueToken(w http.ResponseWriter, userID string) {
	b.mu.Lock()
	b.state.seq++
	claims := byClaims{UserID: userID, Exp: time.Now().Add(b.cfg.tokenLifetime).UnixMilli(), Nonce: b.state.seq}
	b.mu.Unlock()
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString(payload)
	token := enc + "." + base64.RawURLEncoding.EncodeToString(b.sign(enc))
	expires := time.UnixMilli(claims.Exp).UTC().Format(http.TimeFormat)
	w.Header().Add("Set-Cookie", "token="+token+"; expires="+expires+"; path=/; SameSite=Lax")
}

func (b *Botyard) sign(s string) []byte {
	m := hmac.New(sha256.New, b.cfg.sessionKey)
	m.Write([]byte(s))
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
	call.userID = claims.UserID
	b.issueToken(w, claims.UserID)
	return true
}

func (b *Botyard) verify(r *http.Request) (byClaims, bool) {
	var claims byClaims
	c, err := r.Cookie("token")
	if err != nil {
		return claims, false
	}
	enc, sig, ok := strings.Cut(c.Value, ".")
	if !ok {
		return claims, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, b.sign(enc)) {
		return claims, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		return claims, false
	}
	return claims, time.Now().UnixMilli() < claims.Exp
}
