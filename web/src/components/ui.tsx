// Small building blocks shared by every page, re-exported from their files (a page's chunk takes
// only the files it uses).
export * from './ui/basic';
export * from './ui/code';
export * from './ui/dialog';
export * from './ui/form';
export * from './ui/page';
export * from './ui/pager';
export * from './ui/table';
