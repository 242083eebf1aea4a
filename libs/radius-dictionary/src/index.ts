export * from './dictionary-model.js';
export * from './parse-dictionary.js';
export * from './validate-reply-attribute.js';
export * from './encode-attribute.js';
export * from './load-dictionaries.js';
export * from './dictionary-listing.js';
