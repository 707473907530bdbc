-- An edition's pandoc work in one process: citations resolved, then the HTML its renderers need.
-- Reading the JSON document is most of what a pandoc run costs; here it is read once for all outputs.
-- stdin:  {"doc": pandoc-json, "meta": {key: string or boolean}, "template": path,
--          "html": {name: {"notes": "end" | "inline"}}}
-- stdout: {"doc": pandoc-json, citations resolved, "html": {name: html}}
local request = pandoc.json.decode(io.read('a'), false)
local doc = pandoc.read(request.doc, 'json')
for key, value in pairs(request.meta or {}) do
  doc.meta[key] = value
end
if doc.meta.bibliography or doc.meta.references or doc.meta.csl then
  doc = pandoc.utils.citeproc(doc)
end

-- For CSS float: footnote, a note becomes a span at its call; its paragraphs are joined by line breaks.
local function note_in_place(note)
  local inlines = pandoc.Inlines({})
  for index, block in ipairs(note.content) do
    if index > 1 then inlines:insert(pandoc.LineBreak()) end
    if block.t == 'Para' or block.t == 'Plain' then inlines:extend(block.content) end
  end
  return pandoc.Span(inlines, {class = 'footnote'})
end

local html = {}
if next(request.html or {}) then
  -- As pandoc --shift-heading-level-by=1: the page's own title is its only h1.
  local shifted = doc:walk({Header = function(h) h.level = h.level + 1; return h end})
  local options = {wrap_text = 'none', section_divs = true,
                   template = pandoc.template.compile(io.open(request.template):read('a'))}
  for name, spec in pairs(request.html) do
    local input = spec.notes == 'inline' and shifted:walk({Note = note_in_place}) or shifted
    html[name] = pandoc.write(input, 'html5', options)
  end
end
io.write(pandoc.json.encode({doc = pandoc.write(doc, 'json'), html = html}))
