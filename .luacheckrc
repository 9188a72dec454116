-- luacheck's settings for make lint (Debian's lua-check): Lua 5.4, and zb,
-- the one global zb's host makes.
std = "lua54"
globals = {"zb"}
max_line_length = 130
-- the safe mode replaces the standard library's dangerous functions
files["lua/zb/host/safe.lua"] = {globals = {"os", "io", "package"}}
-- the API's doc lines are data, a line each
files["lua/zb/interactive/help.lua"] = {max_line_length = false}
-- the example module a README session loads sets the global it shows
files["lua/examples/hz.lua"] = {globals = {"hz"}}
-- tests stand in for the REPL's print, set globals the REPL session reads,
-- and their fuzz harness gives its checks a global of zb_fuzz's
-- (and a test's steps reuse names, and read one row with a loop's first)
files["tests"] = {globals = {"print", "hz_t", "derived"}, read_globals = {"zb_fuzz_feature"},
                  unused_args = false, max_line_length = false, ignore = {"411", "421", "431", "512", "311", "241"}}
