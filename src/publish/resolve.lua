-- An edition's pandoc work in one process: citations resolved, then the HTML its renderers need.
-- Reading the JSON document is most of what a pandoc run costs; here it is read once for all outputs.
-- stdin:  {"doc": pandoc-json, "meta": {key: string or boolean}, "template": path,
--          "html": {name: {"notes": "end" | "inline"}}, "note_calls": "before" | "after" | null}
-- stdout: {"doc": pandoc-json, citations resolved, "html": {name: html}}
local request = pandoc.json.decode(io.read('a'), false)
local doc = pandoc.read(request.doc, 'json')
for key, value in pairs(request.meta or {}) do
  doc.meta[key] = value
end
if doc.meta.bibliography or doc.meta.references or doc.meta.csl then
  doc = pandoc.utils.citeproc(doc)
end

-- A note's call sits on the side of the punctuation mark that the edition's language puts it
-- (publish.toml, note-calls), wherever the text put it: citeproc moves only the calls it makes itself.
local PUNCTUATION = {}
for _, mark in ipairs({'.', ',', ';', ':', '!', '?', '。', '，', '；', '：', '！', '？', '、'}) do
  PUNCTUATION[utf8.codepoint(mark)] = true
end

local function is_call(el)
  return el and (el.t == 'Note' or (el.t == 'Cite' and #el.content == 1 and el.content[1].t == 'Note'))
end

-- The punctuation marks at the start (or end) of a string, and the rest of it.
local function leading_marks(text)
  local stop = 0
  for position, code in utf8.codes(text) do
    if not PUNCTUATION[code] then break end
    stop = position + #utf8.char(code) - 1
  end
  return text:sub(1, stop), text:sub(stop + 1)
end

local function trailing_marks(text)
  local start = #text + 1
  while start > 1 do
    local previous = utf8.offset(text, -1, start)
    if not previous or not PUNCTUATION[utf8.codepoint(text, previous)] then break end
    start = previous
  end
  return text:sub(1, start - 1), text:sub(start)
end

-- citeproc may put the punctuation it moves inside a citation's own content, before its note.
local function punctuation_out_of_citations(inlines)
  local i = 1
  while i <= #inlines do
    local el = inlines[i]
    if el.t == 'Cite' and #el.content > 1 and el.content[#el.content].t == 'Note' then
      local marks = pandoc.utils.stringify(pandoc.Inlines({table.unpack(el.content, 1, #el.content - 1)}))
      local only, rest = leading_marks(marks)
      if rest == '' and only ~= '' then
        el.content = pandoc.Inlines({el.content[#el.content]})
        inlines:insert(i, pandoc.Str(only)); i = i + 1
      end
    end
    i = i + 1
  end
end

-- One mark moved at a time, until none is left on the wrong side of a call: runs of calls and marks
-- between calls end up together.
local function place_calls(inlines)
  punctuation_out_of_citations(inlines)
  local moved = true
  while moved do
    moved = false
    for i = 1, #inlines do
      local here, after = inlines[i], inlines[i + 1]
      if request.note_calls == 'after' and is_call(here) and after and after.t == 'Str' then
        local marks, rest = leading_marks(after.text)
        if marks ~= '' then
          if rest == '' then inlines:remove(i + 1) else after.text = rest end
          if i > 1 and inlines[i - 1].t == 'Str' then
            inlines[i - 1].text = inlines[i - 1].text .. marks
          else
            inlines:insert(i, pandoc.Str(marks))
          end
          moved = true; break
        end
      elseif request.note_calls == 'before' and here.t == 'Str' and is_call(after) then
        local rest, marks = trailing_marks(here.text)
        if marks ~= '' then
          local stop = i + 1
          while is_call(inlines[stop + 1]) do stop = stop + 1 end
          if rest == '' then inlines:remove(i); stop = stop - 1 else here.text = rest end
          if inlines[stop + 1] and inlines[stop + 1].t == 'Str' then
            inlines[stop + 1].text = marks .. inlines[stop + 1].text
          else
            inlines:insert(stop + 1, pandoc.Str(marks))
          end
          moved = true; break
        end
      end
    end
  end
  return inlines
end

if request.note_calls then
  doc = doc:walk({Inlines = place_calls})
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
