-- zb.read_csv on files as statistical offices and spreadsheets leave them:
-- files that are no CSV text named for what they are.
local T = require("check")

local dir = T.tmpdir()
local function file(name, bytes) return T.file(dir, name, bytes) end
local function refused(path, text, what)
  T.fails(function() zb.read_csv(path) end, path .. ": " .. text, what)
end

-- ---- files that are no CSV ----
if T.have_python("zipfile") then
  local xlsx = dir .. "/book.xlsx"
  T.python([[
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", "<workbook/>")
]], xlsx)
  refused(xlsx, "an xlsx workbook or another ZIP archive, not CSV text", "an xlsx (a ZIP archive) is named")
end
refused(file("old.xls", "\208\207\17\224\161\177\26\225" .. string.rep("\0", 504)),
        "an old Excel workbook (xls, an OLE2 file)", "an xls (OLE2) is named")
refused(file("le.csv", "\255\254a\0,\0b\0\n\0001\0,\0002\0\n\0"), "UTF-16 text (little-endian",
        "UTF-16 with its byte order mark (FF FE)")
refused(file("be.csv", "\254\255\0a\0,\0b\0\n"), "UTF-16 text (big-endian)", "... and big-endian (FE FF)")
refused(file("nobom.csv", "a\0,\0b\0\n\0001\0,\0002\0\n\0"), "UTF-16 text (a NUL byte beside each letter)",
        "UTF-16 without a byte order mark, by its NUL bytes")
refused(file("doc.csv", "%PDF-1.4\n%\226\227\n1 0 obj\n"), "a PDF document, not CSV text", "a PDF is named")
refused(file("page.csv", "\n  <!DOCTYPE html>\n<html><body>Not found</body></html>\n"),
        "an HTML page, not CSV text", "an HTML page (a download gone wrong) is named")
refused(file("page2.csv", "<HTML>\n<p>x</p>\n"), "an HTML page", "... in capitals and without a doctype")
local db = dir .. "/stats.db"
T.run("-d " .. T.shell_quote(db) .. " -e " .. T.shell_quote("zb.sql('create table t (a)')"))
refused(db, "a SQLite database, not CSV text: open it with zb -d FILE, or zb.attach(FILE)",
        "a SQLite database (written by zb) is named, with what opens it")
T.fails(function() zb.read_csv(file("nul.csv", "a,b\n1,x\0y\n")) end, ":2:4: a NUL byte",
        "a NUL byte in text that is otherwise CSV is still found where it is")
T.eq(#zb.read_csv(file("html.csv", "tag,n\n<html>,1\n")), 1, "a CSV whose data holds HTML is CSV")

T.cleanup()
T.done()
