-- Connection strings as libpq reads them (zb.core.pg_conninfo,
-- PQconninfoParse), and what zb's messages show of them: never a
-- password.  No server: each connection fails (a socket directory that
-- does not exist, a database that cannot be reached), and its message is
-- looked at.  The passwords' values are written here from how each string
-- was made: libpq's rules (a key=value value quoted, a backslash escaping
-- the character after it; a URI's userinfo and query percent-decoded; a
-- later password= over an earlier one).
local T = require("check")
local core = require("zb.core")

-- libpq's reading: the options set, each {keyword, value, secret}
local function read(conninfo)
  local options, why = core.pg_conninfo(conninfo)
  if not options then return nil, why end
  local by = {}
  for _, o in ipairs(options) do by[o[1]] = {value = o[2], secret = o[3]} end
  return by
end

local readings = {
  {[[host=/nowhere user=zb password='a\'b SECRET']], "a'b SECRET"},
  {[[host=/nowhere password=top\ SECRET user=zb]], "top SECRET"},
  {[[host=/nowhere password = 'SE\\CRET']], [[SE\CRET]]},
  {"postgresql://zb:S%45CR%20ET@/db?host=/nowhere", "SECR ET"},
  {"postgresql://zb@/db?host=/nowhere&password=SE%43RET", "SECRET"},
  {"postgresql://zb:userinfoSECRET@/db?host=/nowhere&password=querySECRET", "querySECRET"},
  {"host=/nowhere password=firstSECRET password=laterSECRET", "laterSECRET"},
}
for _, case in ipairs(readings) do
  local by = read(case[1])
  T.eq(by and by.password and by.password.value, case[2], "libpq's password of " .. case[1])
  T.eq(by and by.password and by.password.secret, true, "... a secret")
  T.eq(by and by.host and by.host.secret, false, "... its host none")
end
local by = read("host=/nowhere sslpassword=keySECRET")
T.eq(by and by.sslpassword and by.sslpassword.secret, true, "an SSL key's password is a secret too")
T.eq(read("host=/nowhere").password, nil, "no password: none read (libpq's defaults and environment left out)")
local none, why = read("hots=x")
T.ok(none == nil and why == 'invalid connection option "hots"', "a string libpq cannot read: nil and its reason", why)

-- Every message of a connection that fails shows the string masked, and no
-- part of any password in it (each holds SECRET, or S, E, C... encoded)
local function never_secret(r, given, name)
  local text = r.out .. r.err
  T.ok(r.code ~= 0 and text:find("zb.connect", 1, true), name .. ": refused", text)
  for _, piece in ipairs{"SECRET", "SECR", "S%45", "E%43", "SE\\"} do
    if text:find(piece, 1, true) then
      T.ok(false, name .. ": no part of the password printed (" .. piece .. ")", text .. "\n(given: " .. given .. ")")
      return
    end
  end
  T.ok(true, name .. ": no part of the password printed")
end

for _, case in ipairs(readings) do
  local r = T.run("-d " .. T.shell_quote(case[1]) .. " -e 'print(1)'")
  never_secret(r, case[1], "zb -d " .. case[1])
  T.has(r.err, "password=***", "... shown masked as libpq read it")
  T.has(r.err, "/nowhere/.s.PGSQL", "... with libpq's reason")
end
local r = T.run("-d " .. T.shell_quote("postgresql://zb@/db?host=/nowhere") .. " -e 'print(1)'")
T.has(r.err, "zb.connect postgresql://zb@/db?host=/nowhere: ", "a string without a password: shown as given")
r = T.run("-d " .. T.shell_quote("host=/nowhere sslpassword=keySECRET") .. " -e 'print(1)'")
never_secret(r, "sslpassword", "an SSL key's password")
T.has(r.err, "sslpassword=***", "... masked")

-- Strings libpq cannot read: its reason, without what it quotes of them
local unreadable = {
  {"postgresql://zb:SECRET@[::1", 'matching "]" in IPv6 host address in URI: "..."'},
  {"postgresql://zb:SE%CRET@localhost/db", 'invalid percent-encoded token: "..."'},
  {"postgresql://zb@localhost/db?password=SE%zzCRET", 'invalid percent-encoded token: "..."'},
  {'postgresql://zb:SE"="CRET@[::1', 'in URI: "..."'},
  {"postgresql://zb:SECRET@localhost/db?SECRET", 'missing key/value separator "=" in URI query parameter: "..."'},
  {"host=/nowhere password=SE CRET", 'missing "=" after "..." in connection info string'},
  {"host=/nowhere password='SECRET", "unterminated quoted string"},
}
for _, case in ipairs(unreadable) do
  r = T.run("-d " .. T.shell_quote(case[1]) .. " -e 'print(1)'")
  never_secret(r, case[1], "unreadable " .. case[1])
  T.has(r.err, "zb.connect: libpq cannot read the connection string: ", "... said so")
  T.has(r.err, case[2], "... in libpq's words")
end
r = T.run("-d " .. T.shell_quote("host=/nowhere hots=x password=SECRET") .. " -e 'print(1)'")
T.has(r.err, 'invalid connection option "hots"', "a keyword libpq does not know: named")

-- zb.connect after the session made a table on SQLite: the string masked
r = T.run("-e " .. T.shell_quote([[zb.sql("create table t (x)") ]] ..
          [[print(pcall(zb.connect, "postgresql://zb:S%45CRET@/db?host=/nowhere"))]]))
never_secret({code = 1, out = r.out, err = r.err}, "zb.connect after a table", "zb.connect after a table")
T.has(r.out, "connect first (zb -d user=zb password=*** dbname=db host=/nowhere)", "... shown as libpq read it")
T.done()
