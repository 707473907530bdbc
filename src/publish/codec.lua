-- Batch Markdown codec: one pandoc process reads or writes many small documents.
-- stdin:  {"op": "read",  "items": [markdown, ...]}
--         {"op": "write", "items": [pandoc-json-document, ...]}
-- stdout: a JSON array; each item is a JSON string (a document, or Markdown) or {"error": msg}.
local request = pandoc.json.decode(io.read('a'), false)
local results = {}
local write_options = {wrap_text = 'none', extensions = request.extensions}
for i, item in ipairs(request.items) do
  local ok, value
  if request.op == 'read' then
    ok, value = pcall(function()
      return pandoc.json.encode(pandoc.read(item, request.format or 'markdown'))
    end)
  else
    ok, value = pcall(function()
      return pandoc.write(pandoc.json.decode(item), request.format or 'markdown', write_options)
    end)
  end
  results[i] = ok and value or {error = tostring(value)}
end
io.write(pandoc.json.encode(results))
