-- zb.repl: the REPL's policy.  The C loop reads lines and runs chunks; this
-- module prints values (show), runs dot-commands (dispatch) and proposes
-- completions (complete).  Modules extend it:
--
--   zb.repl.command{name = "hello", args = "[NAME]", help = "Greet NAME",
--                   run = function(args) print("hello " .. (args[1] or "")) end}
--   zb.repl.completers[#zb.repl.completers + 1] = function(word, line, start, quote)
--     return {"candidate", ...}   -- quote: set inside a string literal
--   end
--
-- A command's run(args, rest) gets its words and the raw text after the name;
-- it may return "quit", code or "read", path for the loop to act on.
-- complete = "file" or a list of words completes its arguments.

local pretty = require("zb.present.pretty")
require("zb.host.errors").own()  -- an error in printing a result is the result's, not the REPL's

local M = {}

-- Scripts open the session database on first use; the REPL opens it now, so
-- that completion (which never runs an __index function) sees zb.db's methods.
local _ = zb.db

M.options = {timer = false}

-- help(name) at the prompt, as zb.help, unless the user has a help of their own.
if rawget(_G, "help") == nil then _G.help = zb.help end

-- Where results go: standard output, or the file of .output, or (the next
-- result only) the file of .once, written whole or not at all.
local output = {file = nil, path = nil, once = nil}

local function close_output()
  if output.file then output.file:close() end
  output.file, output.path, output.once = nil, nil, nil
end

local function open_output(path)
  local f, err = io.open(zb.names.expand_home(path), "w")
  if not f then error("cannot write " .. err, 0) end
  close_output()
  output.file, output.path = f, path
end

-- A table shown alone going to .output's or .once's file: written there
-- straight from its query when it can be (zb.render.print_whole); whether
-- it was.
local function whole_to_file(t)
  if output.once then
    local path, printed = output.once, false
    output.once = nil
    zb.render.write_file(zb.names.expand_home(path), function(emit, file, failure)
      local why
      printed, why = zb.render.print_whole(t, {file = file, all = true})
      if printed == nil then
        failure.writing = true
        error(why, 0)
      end
      if not printed then emit(zb.render(t, {all = true}) .. "\n") end
    end)
    return true
  end
  local printed, why = zb.render.print_whole(t, {file = output.file, all = true})
  if printed then printed, why = output.file:flush() end
  if printed == nil then  -- a full disk, say: stop writing there, and say so
    local path = output.path
    close_output()
    error(string.format("cannot write %s: %s (results go to the screen again)", path, why), 0)
  end
  return printed
end

-- Tables print through zb.render (in the current mode, all rows when going
-- to a file); other values as Lua literals, fitted to the terminal.
function M.show(...)
  if select("#", ...) == 1 and zb.table.is_table((...)) and (output.file or output.once) and whole_to_file(...) then
    return
  end
  local out = {}
  local cols = zb.terminal()
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if zb.table.is_table(v) then
      out[i] = zb.render(v, (output.file or output.once) and {all = true} or nil)
    else
      out[i] = pretty(v, {width = cols or 80})
    end
  end
  local text = table.concat(out, "\t") .. "\n"
  if output.once then
    local path = output.once
    output.once = nil
    zb.render.write_file(zb.names.expand_home(path), function(emit) emit(text) end)
  elseif output.file then
    local ok, err = output.file:write(text)
    if ok then ok, err = output.file:flush() end
    if not ok then  -- a full disk, say: stop writing there, and say so
      local path = output.path
      close_output()
      error(string.format("cannot write %s: %s (results go to the screen again)", path, err), 0)
    end
  else
    io.write(text)
  end
end

---------------------------------------------------------------------------
-- Dot-commands: one table drives dispatch, .help and completion.

M.commands = {}
M.completers = {}  -- functions (word, line, start, quote) -> candidates

local function usage(cmd)
  return "." .. cmd.name .. (cmd.args and " " .. cmd.args or "")
end

-- Add a command, or replace the one with the same name.
function M.command(spec)
  assert(type(spec.name) == "string" and spec.name:match("^[%w_]+$"),
         "command name must be a word")
  assert(type(spec.run) == "function", "command needs a run function")
  for i, cmd in ipairs(M.commands) do
    if cmd.name == spec.name then
      M.commands[i] = spec
      return spec
    end
  end
  M.commands[#M.commands + 1] = spec
  table.sort(M.commands, function(a, b) return a.name < b.name end)
  return spec
end

-- The command called name, or the only one it abbreviates.
local function find(name)
  local found
  for _, cmd in ipairs(M.commands) do
    if cmd.name == name then return cmd end
    if cmd.name:sub(1, #name) == name then
      if found then return nil, "ambiguous" end
      found = cmd
    end
  end
  return found
end

-- Words of a command line; "double" or 'single' quotes keep spaces.
local function split(text)
  local args, pos = {}, 1
  while true do
    pos = text:find("%S", pos)
    if not pos then return args end
    local q = text:sub(pos, pos)
    if q == '"' or q == "'" then
      local close = text:find(q, pos + 1, true)
      if not close then error("unterminated quote in: " .. text, 0) end
      args[#args + 1] = text:sub(pos + 1, close - 1)
      pos = close + 1
    else
      local stop = text:find("%s", pos) or #text + 1
      args[#args + 1] = text:sub(pos, stop - 1)
      pos = stop
    end
  end
end

function M.dispatch(line)
  local name, rest = line:match("^%.(%S*)%s*(.-)%s*$")
  local cmd, problem = nil, "unknown"
  if name ~= "" then cmd, problem = find(name) end
  if not cmd then
    error(string.format("%s command: .%s (.help lists the commands)",
                        problem or "unknown", name), 0)
  end
  local args = split(rest)
  if cmd.nargs and (#args < cmd.nargs[1] or #args > cmd.nargs[2]) then
    error("usage: " .. usage(cmd), 0)
  end
  local result = table.pack(pcall(cmd.run, args, rest))
  if not result[1] then  -- the user typed the command: where in this file is noise
    local errors, raised = require("zb.host.errors"), result[2]
    error(errors.is_plain(raised) and tostring(errors.plain(raised)) or raised, 0)
  end
  return table.unpack(result, 2, result.n)
end

local function on_off(cmd, word)
  if word == "on" then return true elseif word == "off" then return false end
  error("usage: " .. usage(cmd), 0)
end

M.command{name = "help", args = "[COMMAND]", nargs = {0, 1},
  help = "Show the commands, or the details of one",
  complete = "commands",
  run = function(args)
    if args[1] then
      local cmd = find((args[1]:gsub("^%.", "")))
      local line = not cmd and zb.help.line(args[1])
      if line then return print(line) end
      if not cmd then error("no such command, metric or method: " .. args[1], 0) end
      print(usage(cmd))
      print("  " .. cmd.help)
      if cmd.details then print(cmd.details()) end
      return
    end
    print("Type a Lua expression to print its value, or statements to run them;")
    print("an unfinished chunk continues on the next line (prompt '  > ').")
    print("Keys: Tab completes names, fields, methods, commands, and inside a string")
    print("table and column names (in SQL text, and zb.table's) or file names;")
    print("Up/Down recall history; Ctrl-C stops the running work or clears the line;")
    print("Ctrl-D on an empty line exits.")
    if require("zb.core").safe then
      print("This is a --safe session: files only in the allowed directories, no commands,")
      print("no C code, no history kept on disk (zb -v: what the kernel adds; man zb).")
    end
    print()
    local width = 0
    for _, cmd in ipairs(M.commands) do width = math.max(width, #usage(cmd)) end
    for _, cmd in ipairs(M.commands) do
      print(string.format("%-" .. width .. "s  %s", usage(cmd), cmd.help))
    end
  end}

M.command{name = "metrics", args = "[TEXT]", nargs = {0, 1},
  help = "List the metrics, aggregates and table methods of the analysis library (those whose line holds TEXT)",
  run = function(args)
    for _, line in ipairs(zb.help.lines(args[1])) do print(line) end
  end}

M.command{name = "quit", nargs = {0, 0},
  help = "Exit zb (status 1 if piped input had a failure, else 0)",
  run = function() return "quit" end}

M.command{name = "exit", args = "[CODE]", nargs = {0, 1},
  help = "Exit zb with status CODE (default: as .quit)",
  run = function(args)
    local code = args[1] and math.tointeger(tonumber(args[1]))
    if args[1] and not code then error("usage: .exit [CODE]", 0) end
    return "quit", code
  end}

M.command{name = "read", args = "FILE", nargs = {1, 1}, complete = "file",
  help = "Run the lines of FILE as if they were typed here",
  run = function(args) return "read", zb.names.expand_home(args[1]) end}

M.command{name = "timer", args = "on|off", nargs = {0, 1}, complete = {"on", "off"},
  help = "Show the time each command takes (wall, user and system)",
  run = function(args)
    if not args[1] then
      print("timer is " .. (M.options.timer and "on" or "off"))
      return
    end
    M.options.timer = on_off(find("timer"), args[1])
  end}

-- What the catalog knows of t's columns (frequency, unit), a line each.
local function show_columns(t)
  local columns = t.meta.columns
  for _, name in ipairs(t.columns) do
    local known = columns[name] or {}
    if known.frequency then
      print(string.format("  %s: periods, each a %s (t.meta)", name, zb.period.frequencies[known.frequency]))
    end
    if known.unit then print(string.format("  %s: in %s", name, known.unit)) end
  end
end

local function show_loaded(t)
  print(string.format("%s: %d rows (in Lua: zb.table(%q))", t.name, #t, t.name))
  show_columns(t)
  for _, note in ipairs(t.meta.notes or {}) do print("  note: " .. note) end
end

-- A table's record (t.meta), a line a fact: where it came from, how and
-- when it was loaded, its notes.
local function show_record(about, indent)
  local safe = zb.render.safe_text
  local function line(label, text) print(indent .. label .. ": " .. safe(tostring(text))) end
  if about.dataset then line("dataset", about.dataset) end
  if about.file then
    line("file", string.format("%s (%s bytes, %s)", about.file.path, tostring(about.file.size),
                               about.file.fingerprint or "no fingerprint: not a regular file"))
  end
  if about.loader then
    line("loaded", string.format("%s by %s%s", about.loaded, about.loader,
                                 about.options and " " .. zb.pretty(about.options, {width = 100000}) or ""))
  end
  if about.saved then line("saved", about.saved) end
  for _, field in ipairs{"vintage", "source"} do
    if about[field] then line(field, about[field]) end
  end
  for _, note in ipairs(about.notes or {}) do line("note", note) end
  if about.remarks then line("remarks", about.remarks) end
  for _, source in ipairs(about.sources or {}) do
    print(indent .. "from " .. safe(source.table) .. ":")
    show_record(source, indent .. "  ")
  end
end

M.command{name = "meta", args = "TABLE", nargs = {1, 1},
  help = "Show what zb recorded of TABLE: its source file or dataset, size and fingerprint, loader and options, " ..
         "when, notes, vintage, and its columns' periods and units",
  complete = function()
    local names = {}
    for _, r in ipairs(zb.engine.objects("main")) do names[#names + 1] = r.name end
    return names
  end,
  run = function(args)
    local t = zb.table(args[1])
    local meta = t.meta
    print(zb.render.safe_text(t.name) .. ":")
    show_record(meta, "  ")
    show_columns(t)
    if not (meta.loader or meta.saved or meta.sources or next(meta.columns)) then print("  (nothing recorded)") end
  end}

M.command{name = "import", args = "FILE [NAME]", nargs = {1, 2}, complete = "file",
  help = "Load a CSV file, or an Excel workbook's first sheet, into a new table (named NAME, or after the file); " ..
         "tells its columns of periods",
  run = function(args)
    show_loaded(require("zb.loaders.read_xlsx").read_table_file(zb.names.expand_home(args[1]), {name = args[2]}))
  end}

M.command{name = "dataset", args = "[NAME]", nargs = {0, 1},
  help = "List the bundled datasets, or load one as a table",
  complete = function()
    local names = {}
    for _, d in ipairs(zb.datasets) do names[#names + 1] = d.name end
    return names
  end,
  run = function(args)
    if not args[1] then return print(zb.datasets()) end
    show_loaded(zb.dataset(args[1]))
  end}

-- Tables and views of the session and of attached databases.
local function schema_objects(pattern)
  local found = {}
  for _, db in ipairs(zb.engine.schemas()) do
    local prefix = db == "main" and "" or db .. "."
    for _, r in ipairs(zb.engine.objects(db) or {}) do
      if not pattern or (prefix .. r.name):find(pattern, 1, true) then
        found[#found + 1] = {name = prefix .. r.name, type = r.type, sql = r.sql, db = db, bare = r.name}
      end
    end
  end
  return found
end

M.command{name = "tables", args = "[TEXT]", nargs = {0, 1},
  help = "List the tables and views (those whose name holds TEXT)",
  run = function(args)
    for _, t in ipairs(schema_objects(args[1])) do
      local cols = #zb.engine.columns_of(t.bare, t.db)
      print(string.format("%s  (%s, %d column%s)", zb.render.safe_text(t.name), t.type, cols, cols == 1 and "" or "s"))
    end
  end}

M.command{name = "schema", args = "[TABLE]", nargs = {0, 1},
  help = "Show the CREATE statements of the tables (or of TABLE)",
  complete = function()
    local names = {}
    for _, t in ipairs(schema_objects()) do names[#names + 1] = t.name end
    return names
  end,
  run = function(args)
    local shown = 0
    for _, t in ipairs(schema_objects()) do
      if not args[1] or t.name == args[1] then
        print(zb.render.safe_text(t.sql, true) .. ";")
        shown = shown + 1
      end
    end
    if args[1] and shown == 0 then error("no such table: " .. args[1], 0) end
  end}

-- Calls whose string arguments are SQL text, or column names.
-- zb.sql, and each table method whose doc says so, defined before or after
-- the REPL started.
local method_docs = require("zb.relation.table").docs
require("zb.relation.table").load_methods()  -- completion peeks at the raw entries
M.sql_calls = setmetatable({sql = true}, {__index = function(_, name)
  local doc = method_docs[name]
  return doc and doc.names or nil
end})

-- The innermost call still open at the end of text (strings and brackets
-- closed before it skipped): its receiver ("hz" in hz:where{...), its name
-- and its bracket.
local function enclosing_call(text)
  text = text:gsub('"[^"]*"', '""'):gsub("'[^']*'", "''")
  local depth, pos = 0, #text
  while pos > 0 do
    local c = text:sub(pos, pos)
    if c == ")" or c == "}" then depth = depth + 1
    elseif c == "(" or c == "{" then
      if depth == 0 then
        local path = text:sub(1, pos - 1):match("([%w_.:]*)%s*$")
        local name = path:match("[%w_]+$") or ""
        return path:sub(1, #path - #name - 1), name, c
      end
      depth = depth - 1
    end
    pos = pos - 1
  end
end

-- The columns of the zb.Table a receiver path names (hz, data.gdp), if any.
local function table_columns(path)
  local v = _G
  for part in (path or ""):gmatch("[^.]+") do
    if type(v) ~= "table" then return nil end
    v = rawget(v, part)
  end
  if v ~= _G and zb.table.is_table(v) then return v.columns end
end

-- Inside SQL text, table, column and function names complete (the
-- metrics and aggregates).  A string is SQL text
-- when it is an argument of one of M.sql_calls, or already holds a space;
-- otherwise (io.open("...) it is left to file names.  The receiver's own
-- columns come first: hz:where(" offers hz's columns, derived tables too.
M.completers[#M.completers + 1] = function(_, line, start, quote)
  if not quote then return nil end
  local before = line:sub(1, start)
  local open = before:match("^.*()" .. quote)
  if not open then return nil end
  local receiver, call = enclosing_call(before:sub(1, open - 1))
  if not (M.sql_calls[call] or before:sub(open + 1):find("%s")) then return nil end
  local names = table_columns(receiver) or {}
  for _, t in ipairs(schema_objects()) do
    names[#names + 1] = t.name
    for _, c in ipairs(zb.engine.columns_of(t.bare, t.db)) do
      names[#names + 1] = c.name
    end
  end
  for _, name in ipairs(zb.metrics.names()) do names[#names + 1] = name end
  return names
end

-- A string argument of zb.table (zb.table("gd) is a table's name.
M.completers[#M.completers + 1] = function(_, line, start, quote)
  if not quote then return nil end
  local before = line:sub(1, start)
  local open = before:match("^.*()" .. quote)
  local receiver, call = enclosing_call(before:sub(1, (open or 1) - 1))
  if not open or receiver ~= "zb" or call ~= "table" then return nil end
  local names = {}
  for _, t in ipairs(schema_objects()) do names[#names + 1] = t.name end
  return names
end

-- Keys of a table argument are column names: hz:where{sec completes section.
M.completers[#M.completers + 1] = function(word, line, start, quote)
  if quote or not word:match("^[%w_]*$") then return nil end
  local receiver, call, bracket = enclosing_call(line:sub(1, start))
  if bracket ~= "{" or not M.sql_calls[call] then return nil end
  return table_columns(receiver)
end

M.command{name = "mode", args = "[MODE]", nargs = {0, 1},
  help = "Show or set how tables print (box, markdown, csv, tsv, json, line)",
  complete = function() return zb.render.mode_names() end,
  details = function()
    local lines = {}
    for _, name in ipairs(zb.render.mode_names()) do
      lines[#lines + 1] = string.format("  %-8s %s%s", name, zb.render.modes[name].help,
                                        name == zb.mode() and " (current)" or "")
    end
    return table.concat(lines, "\n")
  end,
  run = function(args)
    if not args[1] then
      print(zb.mode())
      return
    end
    local ok, problem = pcall(zb.mode, args[1])
    if not ok then error(tostring(require("zb.host.errors").plain(problem)), 0) end
  end}

M.command{name = "output", args = "[FILE]", nargs = {0, 1}, complete = "file",
  help = "Send results to FILE (all rows, no colour or cuts); with no FILE, back to the screen",
  run = function(args)
    if args[1] then open_output(args[1]) else close_output() end
  end}

M.command{name = "once", args = "FILE", nargs = {1, 1}, complete = "file",
  help = "Send the next result to FILE, then back to the screen",
  run = function(args)  -- and then the screen, as after sqlite3's .once
    close_output()
    output.once = args[1]
  end}

M.command{name = "maxrows", args = "[N]", nargs = {0, 1},
  help = "Show or set how many rows a table shows on screen (0: all; default: what fits)",
  run = function(args)
    if not args[1] then
      local n = zb.render.options.maxrows
      print(n == nil and "what fits the terminal" or n == 0 and "all" or tostring(n))
      return
    end
    local n = math.tointeger(tonumber(args[1]))
    if not n or n < 0 then error("usage: .maxrows [N] (N >= 0)", 0) end
    zb.render.options.maxrows = n
  end}

M.command{name = "precision", args = "[N]", nargs = {0, 1},
  help = "Show or set the most decimals a column of reals shows on screen (default 6); exports stay exact",
  run = function(args)
    if not args[1] then
      print(tostring(zb.precision()))
      return
    end
    local n = math.tointeger(tonumber(args[1]))
    if not n or n < 0 or n > 17 then error("usage: .precision [N] (N from 0 to 17)", 0) end
    zb.precision(n)
  end}

M.command{name = "human", args = "on|off", nargs = {0, 1}, complete = {"on", "off"},
  help = "Show numbers with a unit as people read them (1.81万亿元) on screen; exports stay exact",
  run = function(args)
    if not args[1] then
      print("human is " .. (zb.render.options.human and "on" or "off"))
      return
    end
    zb.render.options.human = on_off(find("human"), args[1])
  end}

---------------------------------------------------------------------------
-- Completion.  complete(word, line, start, quote) returns the candidates and
-- whether to add a space after a unique one, or "file" for file names.
-- quote is the quote character when the word is inside a string literal.

local keywords = {"and", "break", "do", "else", "elseif", "end", "false", "for",
  "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return",
  "then", "true", "until", "while"}

-- The tables that v[k] looks in: v itself (when a table), then each
-- __index table of the chain; __index functions are never run.
local function lookup_chain(v)
  local steps = 0
  return function()
    while steps < 16 do
      steps = steps + 1
      local current = v
      local mt = getmetatable(v)
      local index = type(mt) == "table" and (rawget(mt, "__methods") or rawget(mt, "__index"))
      v = type(index) == "table" and index or nil
      if type(current) == "table" then return current end
      if v == nil then return nil end
    end
  end
end

-- v[k], as far as it can be known without running code.
local function peek(v, k)
  for t in lookup_chain(v) do
    local found = rawget(t, k)
    if found ~= nil then return found end
  end
  if v == zb then  -- zb's own modules load on first use: safe to load here
    local ok, found = pcall(function() return zb[k] end)
    return ok and found or nil
  end
end

-- Every name-like key reachable from v (only functions, for methods).
local function keys_of(v, only_functions, out)
  if v == zb then  -- the modules not loaded yet, from the names help knows
    for _, name in ipairs(zb.help.names()) do
      local first = name:match("^zb%.([%a_]+)")
      if first then out[first] = true end
    end
  end
  for t in lookup_chain(v) do
    for k, x in next, t do
      if type(k) == "string" and k:match("^[%a_][%w_]*$")
         and (not only_functions or type(x) == "function") then
        out[k] = true
      end
    end
  end
  return out
end

local function add_matching(list, seen, word, candidates)
  for _, c in ipairs(candidates) do
    if c:sub(1, #word) == word and not seen[c] then
      seen[c] = true
      list[#list + 1] = c
    end
  end
end

local function lua_candidates(word)
  local path, sep = word:match("^(.*)([.:])[%w_]*$")
  local out = {}
  if not path then
    for k in pairs(keys_of(_G, false, {})) do out[#out + 1] = k end
    for _, k in ipairs(keywords) do out[#out + 1] = k end
    return out
  end
  local v = _G
  for part in (path .. "."):gmatch("([^.]*)%.") do
    if not part:match("^[%a_][%w_]*$") then return out end
    v = peek(v, part)
    if v == nil then return out end
  end
  for k in pairs(keys_of(v, sep == ":", {})) do out[#out + 1] = path .. sep .. k end
  return out
end

-- Candidates from the sources modules added (table names, columns, ...).
local function from_sources(list, seen, word, line, start, quote)
  for _, source in ipairs(M.completers) do
    local ok, more = pcall(source, word, line, start, quote)
    if ok and type(more) == "table" then add_matching(list, seen, word, more) end
  end
end

function M.complete(word, line, start, quote)
  local before = line:sub(1, start)
  local list, seen = {}, {}
  if quote then
    from_sources(list, seen, word, line, start, quote)
    if #list == 0 then return "file" end
    table.sort(list)
    return list, false
  end
  if before == "" and word:sub(1, 1) == "." then
    local names = {}
    for _, cmd in ipairs(M.commands) do names[#names + 1] = "." .. cmd.name end
    add_matching(list, seen, word, names)
    table.sort(list)
    return list, true
  end
  local name = before:match("^%.(%S+)%s")
  if name then
    local cmd = find(name)
    local how = cmd and cmd.complete
    if how == "file" then return "file" end
    if how == "commands" then  -- .help: commands, and every name with a doc line
      how = zb.help.names()
      for _, c in ipairs(M.commands) do how[#how + 1] = c.name end
    elseif type(how) == "function" then
      how = how()
    end
    add_matching(list, seen, word, type(how) == "table" and how or {})
    table.sort(list)
    return list, true
  end
  add_matching(list, seen, word, lua_candidates(word))
  from_sources(list, seen, word, line, start)
  table.sort(list)
  return list, false
end

return M
