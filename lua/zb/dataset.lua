-- zb.dataset(name [, opts]): load a bundled dataset (see zb.datasets).
return function(name, opts)
  return zb.datasets.load(name, opts)
end
