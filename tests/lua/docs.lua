-- The documentation says what the binary does: README, --help, .help, zb.1.
local T = require("check")

local readme = T.read("README.md")
local man = T.read("man/zb.1")
local help = T.run("--help").out

T.has(readme, "make run", "README gives 'make run'")
T.has(readme, "make test", "README gives 'make test'")

local p = io.popen("groff -man -ww -z man/zb.1 2>&1; echo \"status $?\"")
local groff = p:read("a")
p:close()
T.eq(groff, "status 0\n", "the man page passes groff -man -ww -z without warnings")
p = io.popen("man -l -P cat man/zb.1 2>&1")
local rendered = p:read("a")
p:close()
for _, section in ipairs{"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "REPL COMMANDS",
                         "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES"} do
  T.has(rendered, "\n" .. section .. "\n", "man -l renders section " .. section)
end

-- Every option --help lists is in the man page and README.
local count = 0
local function options_of(line)
  local first = line:match("^  (%-%-?[%w-]*)")
  return {first, first and line:match("^  %-%w, (%-%-[%w-]+)")}
end
for line in help:gmatch("[^\n]+") do
  for _, opt in ipairs(options_of(line)) do
    count = count + 1
    local man_form = opt:gsub("%-", "\\-")
    T.has(man, man_form, "zb.1 documents " .. opt)
    T.has(readme, "`" .. opt, "README documents " .. opt)
  end
end
T.ok(count >= 10, "--help lists the options", count .. " found")

-- Every dot-command .help lists is in --help, the man page and README.
for _, cmd in ipairs(zb.repl.commands) do
  T.ok(man:find("\n%.B[IR]? %." .. cmd.name .. "[ \n]"), "zb.1 documents ." .. cmd.name)
  T.has(readme, "`." .. cmd.name, "README documents ." .. cmd.name)
end
T.has(help, ".help", "--help points at .help")
for name in pairs(zb.render.modes) do
  T.has(readme, "`" .. name .. "`", "README names output mode " .. name)
  T.has(man, ".B " .. name, "zb.1 names output mode " .. name)
end
-- README's REPL sessions, replayed: the input lines through zb, the
-- output compared with the lines shown.
local blocks = T.readme_sessions(readme)
T.ok(#blocks >= 2, "README shows REPL sessions", #blocks .. " found")
-- The example module is on hand, as the README's module session loads it.
local examples = "ZB_PATH=" .. T.shell_quote(os.getenv("PWD") .. "/lua/examples") .. " "
for i, block in ipairs(blocks) do
  local r = T.run("-n -l growth", {stdin = table.concat(block.input, "\n") .. "\n", env = examples})
  T.eq(r.out, table.concat(block.output, "\n") .. "\n", "README session " .. i .. " prints what README shows")
end
T.done()
