-- zb.mode([name]): how tables print (box, markdown, csv, tsv, json, line).
return require("zb.render").mode
